-- Schema 5 -> 6.  First these statements, the same as data/schema.sql's
-- block "BEGIN rep"; then db_migrate's to_v6 (src/core/db_migrate.c) makes
-- what else schema.sql has and the file lacks from schema.sql's own DDL (the
-- life of a permit: permit_events, minreg_roles, minreg_event_types, the
-- permits' appended columns and their metadata rows; the exchange's
-- minreg_site, minreg_partners, minreg_xchg_origin, minreg_xchg_conflicts
-- with their indexes and guards).
------------------------------------------------------------------------------
-- Schema 6: what the plan states, told from what its tables merely list, and
-- the seed files' notes (data/migrate/v6.sql holds the same statements).
------------------------------------------------------------------------------
-- minreg_totals.kind: 'text' a figure the plan states (its text, or a total
-- it prints); 'table' only the number of rows a table of the plan prints (or
-- of a standard's list), which checks still compare but reports do not call
-- stated.  with_tbl: a second register whose rows count with tbl's (矿业权 =
-- 采矿权 + 探矿权).  A count with col counts the distinct items of col.  A
-- where_val a|b matches either value.
ALTER TABLE minreg_totals ADD COLUMN kind TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text','table'));
ALTER TABLE minreg_totals ADD COLUMN with_tbl TEXT NOT NULL DEFAULT '';
UPDATE minreg_totals SET kind = 'table', source = '专栏六 表列', note = '专栏六列 26 个矿种（正文未述个数）'
 WHERE tbl = 'min_scales' AND measure = 'count' AND where_col = '';
UPDATE minreg_totals SET kind = 'table', source = '专栏八 表列', note = '专栏八列 21 个集中开采区（正文未述个数）'
 WHERE tbl = 'sand_areas' AND measure = 'count' AND where_col = '';
UPDATE minreg_totals SET kind = 'table', source = '专栏一 表列', note = '专栏一列 15 项指标（正文未述项数）'
 WHERE tbl = 'indicators' AND measure = 'count' AND where_col = '';
UPDATE minreg_totals SET kind = 'table', source = '第八章第三节 矿业权表', note = '表中采矿权 9 行（正文只述矿业权 15 处）'
 WHERE tbl = 'mining_permits' AND measure = 'count' AND where_col = 'district' AND where_val = '振安区';
UPDATE minreg_totals SET kind = 'table', source = '第八章第三节 矿业权表', note = '表中探矿权 6 行（正文只述矿业权 15 处）'
 WHERE tbl = 'exploration_permits' AND measure = 'count' AND where_col = 'district' AND where_val = '振安区';
UPDATE minreg_totals SET kind = 'table', note = '丹东市及所辖 6 个县级行政区（GB/T 2260，非规划正文）'
 WHERE tbl = 'districts' AND measure = 'count';
UPDATE minreg_totals SET note = '市级出让登记管理权限矿种 41 个'
 WHERE tbl = 'exploration_blocks' AND measure = 'count' AND where_col = 'authority' AND where_val = '市级';
INSERT INTO minreg_totals (tbl, measure, col, where_col, where_val, value, unit, source, note, kind, with_tbl) VALUES
 ('exploration_blocks',  'count', '',          'authority', '部级|省级', 10, '个', '第五章第四节', '省级以上出让登记管理权限矿种 10 个', 'text', ''),
 ('sand_areas',          'sum',   'area_km2',  'code', 'CS21060000001', 0.8213, '平方公里', '第八章第三节', '区块编号为 CS21060000001，面积为 0.8213 平方公里', 'text', ''),
 ('sand_areas',          'sum',   'min_scale', 'code', 'CS21060000001', 20, '万立方米/年', '第八章第三节', '最低开采规模 20 万立方米/年', 'text', ''),
 ('mining_permits',      'count', '',          'district', '元宝区', 2, '处', '第八章第一节', '元宝区已有矿业权 2 处', 'text', 'exploration_permits'),
 ('mining_permits',      'count', '',          'district', '振兴区', 3, '处', '第八章第二节', '振兴区拥有矿业权 3 处', 'text', 'exploration_permits'),
 ('mining_permits',      'count', '',          'district', '振兴区', 0, '处', '第八章第二节', '振兴区矿业权均为探矿权', 'text', ''),
 ('mining_permits',      'count', '',          'district', '振安区', 15, '处', '第八章第三节', '振安区拥有矿业权 15 处', 'text', 'exploration_permits'),
 ('mining_permits',      'count', 'minerals',  'district', '振安区', 3, '种', '第八章第三节', '涉及地热、金矿及花岗岩 3 个矿产种类', 'text', 'exploration_permits');

-- The seed files' '#' lines, kept as they load: where the rows come from
-- (来源) and how they were transcribed.  A note naming 序号N is about that
-- row; the others about the whole register.
CREATE TABLE minreg_sources (
    tbl  TEXT NOT NULL,
    ord  INTEGER NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (tbl, ord)
);

-- Boundaries (issue 17): the tables of data/schema.sql's block "BEGIN geo".
CREATE TABLE minreg_boundary_tables (
    tbl  TEXT PRIMARY KEY REFERENCES minreg_tables(id),
    kind TEXT NOT NULL CHECK (kind IN ('permit','block','area'))
);
INSERT INTO minreg_boundary_tables VALUES
 ('national_areas', 'area'), ('exploration_areas', 'area'), ('mining_areas', 'area'),
 ('sand_areas', 'area'), ('exploration_blocks', 'block'), ('mining_blocks', 'block'),
 ('exploration_permits', 'permit'), ('mining_permits', 'permit');
CREATE TABLE minreg_shapes (
    id       INTEGER PRIMARY KEY,
    tbl      TEXT NOT NULL REFERENCES minreg_boundary_tables(tbl),
    rid      INTEGER NOT NULL,
    system   TEXT NOT NULL,          -- 'CGCS2000 GK3' (plane) or 'CGCS2000 geodetic'
    zone     INTEGER NOT NULL,       -- the 3-degree zone; 0 when geodetic
    area_km2 REAL,                   -- the official ellipsoidal area, NULL if none
    text     TEXT NOT NULL,          -- the canonical boundary the audit records
    UNIQUE (tbl, rid)
);
CREATE TABLE minreg_rings (
    shape_id INTEGER NOT NULL REFERENCES minreg_shapes(id),
    ring     INTEGER NOT NULL,       -- from 1, in the order given
    hole     INTEGER NOT NULL,       -- 1: an excluded ring
    top      REAL,                   -- 起标高, m
    bottom   REAL,                   -- 止标高, m
    name     TEXT,                   -- a mining area's name
    npts     INTEGER NOT NULL,
    points   TEXT NOT NULL,          -- x,y;x,y;… as in the canonical text
    PRIMARY KEY (shape_id, ring)
);
CREATE VIRTUAL TABLE minreg_shape_box USING rtree(id, min_lon, max_lon, min_lat, max_lat);
