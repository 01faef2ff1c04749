-- Schema 6 -> 7, the spatial rules' step (data/schema.sql's block "BEGIN
-- georules").  db_migrate's generic step has made the tables schema.sql
-- has and the file lacks (minreg_geo_roles, minreg_layers,
-- minreg_layer_features, minreg_layer_box) from schema.sql's own DDL; this
-- adds their metadata rows.  Idempotent: another helper's step may run
-- before or after it.
INSERT OR IGNORE INTO minreg_geo_roles VALUES
 ('national_areas', 'area', 'area_km2', ''), ('exploration_areas', 'area', 'area_km2', ''),
 ('mining_areas', 'area', 'area_km2', ''), ('sand_areas', 'area', 'area_km2', ''),
 ('exploration_blocks', 'area', 'area_km2', ''), ('mining_blocks', 'area', 'area_km2', ''),
 ('exploration_permits', 'area', 'area_km2', ''), ('mining_permits', 'area', 'area_km2', ''),
 ('exploration_areas', 'key_area', '', ''), ('mining_areas', 'key_area', '', ''),
 ('sand_areas', 'sand_area', '', ''),
 ('mining_permits', 'sand_permit', 'minerals', '^(建筑用|建筑石料用|砖瓦用)'),
 ('mining_permits', 'new', 'reg_type', '^新立$');
INSERT OR IGNORE INTO minreg_meta VALUES ('geo_sand_distance_m', '300');
