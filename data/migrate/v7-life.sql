-- Schema 6 -> 7, the life of a permit's part (#19).  Idempotent, so that
-- it runs beside the other v7-*.sql steps in any order, and again on a
-- register that data/schema.sql's own rows already gave them (a schema-5
-- register's to_v6 copies minreg_roles and minreg_event_types whole).
-- Rows only: no table changes its shape.
--
-- The first-issued area (首次登记面积) kept by the events, and the
-- exploration 延续 rule (cut:25, a warning); the planning blocks' 投放
-- years (report yearly); the 年度信息 filing as an event type of its own
-- ('annual' in sets), which changes nothing on the permit; the 变更 that
-- may change any of the permit's fields ('any' in sets: the event form
-- offers them all); the 注销 that ends a permit's life ('ends').
INSERT OR IGNORE INTO minreg_roles (tbl, col, role) VALUES
 ('exploration_permits', 'first_area', 'first_area'), ('exploration_permits', 'first_area', 'cut:25'),
 ('mining_permits', 'first_area', 'first_area'),
 ('exploration_blocks', 'year_from', 'release_from'), ('exploration_blocks', 'year_to', 'release_to'),
 ('mining_blocks', 'year_from', 'release_from'), ('mining_blocks', 'year_to', 'release_to'),
 ('exploration_blocks', 'district', 'district'), ('mining_blocks', 'district', 'district');
INSERT OR IGNORE INTO minreg_event_types VALUES
 ('年报', 7, 'Annual report filed', '', '', 'annual', 1, 0, 0, '年度信息公示：每年3月31日前填报上一年度（矿业权人勘查开采信息公示办法）');
UPDATE minreg_columns SET enum = enum || '|年报'
 WHERE tbl = 'permit_events' AND id = 'type' AND ('|' || enum || '|') NOT LIKE '%|年报|%';
UPDATE minreg_event_types SET sets = 'any' WHERE type = '变更' AND sets = '';
UPDATE minreg_event_types SET sets = sets || ';ends'
 WHERE type = '注销' AND sets <> '' AND (';' || sets || ';') NOT LIKE '%;ends;%';
