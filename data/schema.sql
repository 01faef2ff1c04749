-- minreg register schema — the one description every part of minreg reads.
--
-- Screens, CLI output, CSV mapping and validation are generic code over the
-- three metadata tables below; adding a register means adding its CREATE TABLE,
-- one minreg_tables row and its minreg_columns rows (and, if the plan states
-- totals for it, minreg_totals rows).  No C changes.
--
-- Column types (minreg_columns.type):
--   text   free text                 int   whole number (SQL INTEGER)
--   dec    decimal number (SQL REAL, shown with `scale` decimals when set)
--   date   calendar date YYYY-MM-DD  year  four-digit year
-- enum:    allowed values separated by '|'; pattern: a PCRE2 pattern the whole
--          value must match; multi: the value is a ';'-separated list and each
--          item is checked (and linked) on its own.
-- link_tbl/link_col: the register and column this column refers to (links out);
--          the reverse direction ("referenced by") is derived from the same rows.

PRAGMA foreign_keys = OFF;

CREATE TABLE minreg_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO minreg_meta VALUES ('schema_version', '7');
INSERT INTO minreg_meta VALUES ('plan', '丹东市矿产资源总体规划（2021-2025年）');
-- Patterns in the clerk's words: 'pattern:P' (Chinese) and 'pattern_en:P'
-- (English), P a pattern of minreg_columns (every column with it) or
-- TABLE.COLUMN (that column).  Validation says these instead of the pattern.
INSERT INTO minreg_meta VALUES
 ('pattern:^\d{6}$',      '6 位数字的行政区划代码'),
 ('pattern_en:^\d{6}$',   'a district code of 6 digits'),
 ('pattern:^GK\d{11}$',   'GK 加 11 位数字的编号'),
 ('pattern_en:^GK\d{11}$', 'a code of GK and 11 digits'),
 ('pattern:^KZ\d{11}$',   'KZ 加 11 位数字的重点勘查区编号'),
 ('pattern_en:^KZ\d{11}$', 'a key exploration area code (KZ and 11 digits)'),
 ('pattern:^CZ\d{11}$',   'CZ 加 11 位数字的重点开采区编号'),
 ('pattern_en:^CZ\d{11}$', 'a key mining area code (CZ and 11 digits)'),
 ('pattern:^CS\d{11}$',   'CS 加 11 位数字的集中开采区编号'),
 ('pattern_en:^CS\d{11}$', 'a concentrated mining area code (CS and 11 digits)'),
 ('pattern:^C\d{22}$',    'C 加 22 位数字的采矿许可证号'),
 ('pattern_en:^C\d{22}$', 'a mining permit number (C and 22 digits)'),
 ('pattern:^(T\d{2}[1-5]\d{6}0[1-4]\d{6}|[TC]\d{22})$',
  'T 或 C 加 22 位数字（旧证为 T 加 17 位数字）的勘查许可证号'),
 ('pattern_en:^(T\d{2}[1-5]\d{6}0[1-4]\d{6}|[TC]\d{22})$',
  'an exploration permit number (T or C and 22 digits; an old one T and 17 digits)'),
 ('pattern:^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$',
  '18 位统一社会信用代码（数字和除 I O S V Z 外的大写字母）'),
 ('pattern_en:^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$',
  'a unified social credit code (18 digits and capital letters other than I O S V Z)');

CREATE TABLE minreg_tables (
    id        TEXT PRIMARY KEY,      -- register id used on the command line
    ord       INTEGER NOT NULL,      -- order on the home screen and in `tables`
    grp       TEXT NOT NULL,         -- group heading (plan appendix, body tables, dictionaries)
    appendix  TEXT NOT NULL,         -- 附表N / 专栏X as the plan prints it ('' for none)
    alias     TEXT NOT NULL,         -- short ASCII alias (a1 .. a11, c1 ...)
    title     TEXT NOT NULL,         -- Chinese title as the plan prints it
    title_en  TEXT NOT NULL,
    source    TEXT NOT NULL,         -- where in the plan the table comes from
    key_col   TEXT NOT NULL,         -- the column `get TABLE KEY` looks up
    label_col TEXT NOT NULL          -- the column that names a row in links
);

CREATE TABLE minreg_columns (
    tbl      TEXT NOT NULL REFERENCES minreg_tables(id),
    ord      INTEGER NOT NULL,
    id       TEXT NOT NULL,
    label    TEXT NOT NULL,          -- Chinese label as the plan prints it
    label_en TEXT NOT NULL,
    type     TEXT NOT NULL CHECK (type IN ('text','int','dec','date','year')),
    unit     TEXT NOT NULL DEFAULT '',
    required INTEGER NOT NULL DEFAULT 0,
    enum     TEXT NOT NULL DEFAULT '',
    pattern  TEXT NOT NULL DEFAULT '',
    link_tbl TEXT NOT NULL DEFAULT '',
    link_col TEXT NOT NULL DEFAULT '',
    multi    INTEGER NOT NULL DEFAULT 0,
    scale    INTEGER NOT NULL DEFAULT -1,   -- decimals to show for dec; -1 = as stored
    range    TEXT NOT NULL DEFAULT '',      -- '>0', '>=0', 'A..B' (inclusive) for numbers
    not_before TEXT NOT NULL DEFAULT '',    -- id of a column this one may not be less than
    PRIMARY KEY (tbl, id)
);

-- Figures the plan's text states, so checks can compare the rows with them.
-- measure: 'count' (rows, optionally where where_col = where_val) or
--          'sum' (of col over those rows).
CREATE TABLE minreg_totals (
    tbl       TEXT NOT NULL REFERENCES minreg_tables(id),
    measure   TEXT NOT NULL CHECK (measure IN ('count','sum')),
    col       TEXT NOT NULL DEFAULT '',
    where_col TEXT NOT NULL DEFAULT '',
    where_val TEXT NOT NULL DEFAULT '',
    value     REAL NOT NULL,
    unit      TEXT NOT NULL DEFAULT '',
    source    TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
);

-- The audit trail (第九章: every change traceable and queryable).  One row in
-- minreg_changes per change (one transaction); one row in minreg_audit per
-- field changed, row added (new = the row as JSON) or row deleted (old = the
-- row as JSON).  Rows an import adds are recorded as runs of row ids in
-- minreg_audit_added instead: their values as added are the values they
-- have now, unwound through the audit rows of every later change to them
-- (an update's old value, a delete's old row), so nothing is lost, and a
-- million-row import does not write every row twice.  `minreg log` and undo
-- read the runs back as one "row added" per row.  Triggers keep all three
-- append-only: only undone_by, which records a later undo, may ever be set.
CREATE TABLE minreg_changes (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,             -- UTC, ISO 8601
    who       TEXT NOT NULL,             -- $USER, plus the SSH_CLIENT address
    kind      TEXT NOT NULL CHECK (kind IN ('add','set','rm','import','undo','redo','seal')),
    tbl       TEXT NOT NULL DEFAULT '',
    summary   TEXT NOT NULL DEFAULT '',
    comment   TEXT NOT NULL DEFAULT '',
    undoes    INTEGER REFERENCES minreg_changes(id),
    undone_by INTEGER REFERENCES minreg_changes(id)
);
CREATE TABLE minreg_audit (
    id        INTEGER PRIMARY KEY,
    change_id INTEGER NOT NULL REFERENCES minreg_changes(id),
    tbl       TEXT NOT NULL,
    row_id    INTEGER NOT NULL,
    row_key   TEXT,
    op        TEXT NOT NULL CHECK (op IN ('insert','update','delete')),
    field     TEXT,
    old       TEXT,
    new       TEXT
);
CREATE INDEX minreg_audit_change ON minreg_audit(change_id);
CREATE INDEX minreg_audit_row ON minreg_audit(tbl, row_id);
CREATE TRIGGER minreg_audit_no_update BEFORE UPDATE ON minreg_audit
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
CREATE TRIGGER minreg_audit_no_delete BEFORE DELETE ON minreg_audit
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
CREATE TABLE minreg_audit_added (
    change_id INTEGER NOT NULL REFERENCES minreg_changes(id),
    tbl       TEXT NOT NULL,
    first_row INTEGER NOT NULL,          -- rows first_row..last_row of tbl,
    last_row  INTEGER NOT NULL,          -- every one of them added by change_id
    CHECK (last_row >= first_row)
);
CREATE INDEX minreg_audit_added_change ON minreg_audit_added(change_id);
CREATE INDEX minreg_audit_added_row ON minreg_audit_added(tbl, first_row);
CREATE TRIGGER minreg_audit_added_no_update BEFORE UPDATE ON minreg_audit_added
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
CREATE TRIGGER minreg_audit_added_no_delete BEFORE DELETE ON minreg_audit_added
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
-- The highest rid each register has ever given a row (see Registers).
CREATE TABLE minreg_seq (
    tbl TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
);
-- The history is chained (tamper-evident; `minreg verify`).  Each change's
-- digest is SHA-256 over the digest before it and a canonical encoding of the
-- change (its fields but undone_by), its audit rows, its runs of added rows
-- and its row sums (src/core/db_chain.c), written in the change's own
-- transaction.  minreg_sums holds, for the rows an import added (and, for the
-- 'seal' change that starts the chain, every row there was), 8 bytes of
-- BLAKE2b per row over its values as written, in rid order from first_row,
-- so verify can tell which row was changed outside minreg.  undone_by is not
-- chained: verify derives what it must be from the chained undoes.  A new
-- register's chain starts at change_id 0, which is no change: the rows
-- init loaded, their sums under change_id 0.
CREATE TABLE minreg_chain (
    change_id INTEGER PRIMARY KEY,
    digest    BLOB NOT NULL
);
CREATE TRIGGER minreg_chain_no_update BEFORE UPDATE ON minreg_chain
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
CREATE TRIGGER minreg_chain_no_delete BEFORE DELETE ON minreg_chain
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
CREATE TABLE minreg_sums (
    change_id INTEGER NOT NULL,
    tbl       TEXT NOT NULL,
    first_row INTEGER NOT NULL,
    sums      BLOB NOT NULL              -- 8 bytes for each row from first_row
);
CREATE INDEX minreg_sums_row ON minreg_sums(tbl, first_row);
CREATE TRIGGER minreg_sums_no_update BEFORE UPDATE ON minreg_sums
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
CREATE TRIGGER minreg_sums_no_delete BEFORE DELETE ON minreg_sums
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
-- minreg_fsums: for the same runs (since schema 5), one byte for each field
-- of each row (FNV-1a of the field's part of the row's encoding, folded).
-- Not the evidence — the row sums are — but what lets verify name the field
-- a row changed outside minreg differs in.  Chained with its change.
CREATE TABLE minreg_fsums (
    change_id INTEGER NOT NULL,
    tbl       TEXT NOT NULL,
    first_row INTEGER NOT NULL,
    sums      BLOB NOT NULL              -- a byte for each field of each row from first_row
);
CREATE INDEX minreg_fsums_run ON minreg_fsums(change_id, tbl, first_row);
CREATE TRIGGER minreg_fsums_no_update BEFORE UPDATE ON minreg_fsums
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
CREATE TRIGGER minreg_fsums_no_delete BEFORE DELETE ON minreg_fsums
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
CREATE TRIGGER minreg_changes_no_delete BEFORE DELETE ON minreg_changes
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
CREATE TRIGGER minreg_changes_no_update
BEFORE UPDATE OF id, at, who, kind, tbl, summary, comment, undoes ON minreg_changes
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;

-- BEGIN xchg
-- Exchange between the city's and the counties' registers (minreg exchange;
-- src/core/xchg.c).  minreg_site: which site this register is, by its admin
-- code (new rows get rids code * 10^9 + n, so rows made at two sites never
-- collide), and its Ed25519 public key (the secret key is in REGISTER.key
-- beside the file, never in it).  minreg_partners: the sites files come from
-- and go to, with what was sent, acknowledged and applied.  minreg_xchg_origin:
-- the changes applied from a partner, with their origin.  minreg_xchg_conflicts:
-- what a file could not apply silently, until resolved.
CREATE TABLE minreg_site (
    one     INTEGER PRIMARY KEY CHECK (one = 1),
    name    TEXT NOT NULL,
    code    INTEGER NOT NULL CHECK (code BETWEEN 100000 AND 999999),
    role    TEXT NOT NULL CHECK (role IN ('city','county')),
    pubkey  TEXT NOT NULL,
    made_at TEXT NOT NULL
);
CREATE TABLE minreg_partners (
    name      TEXT PRIMARY KEY,
    code      INTEGER NOT NULL UNIQUE CHECK (code BETWEEN 100000 AND 999999),
    role      TEXT NOT NULL CHECK (role IN ('city','county')),
    pubkey    TEXT NOT NULL UNIQUE,
    acked     INTEGER NOT NULL DEFAULT 0,   -- our last change the partner has applied
    sent      INTEGER NOT NULL DEFAULT 0,   -- our last change in the last file sent
    sent_at   TEXT NOT NULL DEFAULT '',
    applied   INTEGER NOT NULL DEFAULT 0,   -- the partner's last change applied here
    applied_digest TEXT NOT NULL DEFAULT '',  -- its chain digest, as the partner sent it
    applied_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE minreg_xchg_origin (
    site      INTEGER NOT NULL,             -- the partner's code
    their_id  INTEGER NOT NULL,             -- the change's id there
    change_id INTEGER NOT NULL REFERENCES minreg_changes(id),   -- the change here that applied it
    their_at  TEXT NOT NULL,
    their_who TEXT NOT NULL,
    kind      TEXT NOT NULL,
    summary   TEXT NOT NULL,
    digest    TEXT NOT NULL,                -- its chain digest there
    PRIMARY KEY (site, their_id)
);
CREATE INDEX minreg_xchg_origin_change ON minreg_xchg_origin(change_id);
CREATE TRIGGER minreg_xchg_origin_no_update BEFORE UPDATE ON minreg_xchg_origin
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
CREATE TRIGGER minreg_xchg_origin_no_delete BEFORE DELETE ON minreg_xchg_origin
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
CREATE TABLE minreg_xchg_conflicts (
    id         INTEGER PRIMARY KEY,
    site       INTEGER NOT NULL,            -- the partner whose change it was
    their_id   INTEGER NOT NULL,
    change_id  INTEGER NOT NULL,            -- the change here that applied the rest
    what       TEXT NOT NULL CHECK (what IN ('field','deleted_here','deleted_there','owner','duplicate')),
    tbl        TEXT NOT NULL,
    row_id     INTEGER NOT NULL,
    row_key    TEXT,
    field      TEXT,                        -- NULL: the whole row
    base       TEXT,                        -- the value before, as the partner had it
    mine       TEXT,
    theirs     TEXT,
    made_at    TEXT NOT NULL,
    resolved   TEXT CHECK (resolved IN ('mine','theirs','value','agreed')),
    resolved_value TEXT,
    resolved_by INTEGER,                    -- the change that resolved it
    resolved_at TEXT
);
CREATE INDEX minreg_xchg_conflicts_row ON minreg_xchg_conflicts(tbl, row_id);
-- END xchg

------------------------------------------------------------------------------
-- Registers
------------------------------------------------------------------------------
-- Every register row has an identity, rid, that the audit trail, undo, redo,
-- forms and screens address it by.  It is never shown and never reused: minreg
-- gives a new row the next rid after minreg_seq's mark for its register (or
-- after the highest rid there, if that is higher) and raises the mark when the
-- write commits, so a deleted row's rid is never given to a later row.  (Not
-- AUTOINCREMENT: its sqlite_sequence update on every INSERT cost a twelfth of
-- an import.)  As an INTEGER PRIMARY KEY it is a named column, so .dump,
-- restore and VACUUM keep it (SQLite renumbers only implicit rowids).  A 序号
-- a table shows is an ordinary validated column (a whole number
-- 1..999999999), never the identity.

CREATE TABLE districts (
    rid        INTEGER PRIMARY KEY,
    code       TEXT UNIQUE,
    name       TEXT NOT NULL UNIQUE,
    short_name TEXT NOT NULL UNIQUE,
    level      TEXT NOT NULL,
    parent     TEXT REFERENCES districts(code)
);

CREATE TABLE minerals (
    rid        INTEGER PRIMARY KEY,
    name           TEXT UNIQUE,
    category       TEXT NOT NULL,
    subcategory    TEXT,
    explore_policy TEXT,
    mine_policy    TEXT,
    remark         TEXT
);

CREATE TABLE national_areas (
    rid        INTEGER PRIMARY KEY,
    seq       INTEGER,
    code      TEXT UNIQUE,
    name      TEXT NOT NULL,
    minerals  TEXT NOT NULL,
    area_km2  REAL NOT NULL,
    districts TEXT,
    remark    TEXT
);

CREATE TABLE exploration_areas (
    rid        INTEGER PRIMARY KEY,
    seq             INTEGER,
    code            TEXT UNIQUE,
    name            TEXT NOT NULL,
    minerals        TEXT NOT NULL,
    area_km2        REAL NOT NULL,
    permits_existing INTEGER,
    permits_planned INTEGER,
    district        TEXT,
    remark          TEXT
);

CREATE TABLE exploration_blocks (
    rid        INTEGER PRIMARY KEY,
    code       TEXT UNIQUE,
    name       TEXT NOT NULL,
    area_code  TEXT REFERENCES exploration_areas(code),
    minerals   TEXT NOT NULL,
    category   TEXT,
    stage      TEXT,
    area_km2   REAL NOT NULL,
    year_from  INTEGER,
    year_to    INTEGER,
    authority  TEXT,
    district   TEXT,
    vertices   TEXT,
    remark     TEXT
);

CREATE TABLE mining_areas (
    rid        INTEGER PRIMARY KEY,
    seq              INTEGER,
    code             TEXT UNIQUE,
    name             TEXT NOT NULL,
    minerals         TEXT NOT NULL,
    area_km2         REAL NOT NULL,
    permits_existing INTEGER,
    permits_planned  INTEGER,
    district         TEXT,
    remark           TEXT
);

CREATE TABLE sand_areas (
    rid        INTEGER PRIMARY KEY,
    seq             INTEGER,
    code            TEXT UNIQUE,
    name            TEXT NOT NULL,
    area_km2        REAL NOT NULL,
    minerals        TEXT NOT NULL,
    permits_planned INTEGER,
    scale_unit      TEXT,
    min_scale       REAL,
    district        TEXT,
    remark          TEXT
);

CREATE TABLE mining_blocks (
    rid        INTEGER PRIMARY KEY,
    code       TEXT UNIQUE,
    name       TEXT NOT NULL,
    area_code  TEXT REFERENCES mining_areas(code),
    sand_code  TEXT REFERENCES sand_areas(code),
    minerals   TEXT NOT NULL,
    method     TEXT,
    scale      REAL,
    scale_unit TEXT,
    size_class TEXT,
    area_km2   REAL NOT NULL,
    year_from  INTEGER,
    year_to    INTEGER,
    authority  TEXT,
    district   TEXT,
    vertices   TEXT,
    remark     TEXT
);

CREATE TABLE min_scales (
    rid        INTEGER PRIMARY KEY,
    seq            INTEGER,
    mineral        TEXT UNIQUE REFERENCES minerals(name),
    unit           TEXT NOT NULL,
    large          REAL,
    large_rule     TEXT NOT NULL,
    medium         REAL,
    medium_rule    TEXT NOT NULL,
    small          REAL,
    small_rule     TEXT NOT NULL,
    applies_to     TEXT,
    alt_condition  TEXT,
    alt_large      REAL,
    alt_medium     REAL,
    alt_small      REAL,
    alt_small_rule TEXT,
    basis          TEXT,
    note           TEXT
);

CREATE TABLE deposits (
    rid        INTEGER PRIMARY KEY,
    id                INTEGER UNIQUE,
    name              TEXT NOT NULL,
    main_mineral      TEXT NOT NULL REFERENCES minerals(name),
    assoc_minerals    TEXT,
    size_class        TEXT,
    exploration_level TEXT,
    utilization       TEXT,
    resource          REAL,
    resource_unit     TEXT,
    district          TEXT,
    longitude         REAL,
    latitude          REAL,
    remark            TEXT
);

CREATE TABLE reserves (
    rid        INTEGER PRIMARY KEY,
    id                 INTEGER UNIQUE,
    mineral            TEXT NOT NULL REFERENCES minerals(name),
    counted_as         TEXT,
    unit               TEXT,
    deposit_count      INTEGER,
    proven_cumulative  REAL,
    retained_measured  REAL,
    retained_indicated REAL,
    retained_inferred  REAL,
    reserves           REAL,
    remark             TEXT
);

CREATE TABLE exploration_permits (
    rid        INTEGER PRIMARY KEY,
    id         INTEGER UNIQUE,
    permit_no  TEXT UNIQUE,
    holder     TEXT,
    project    TEXT NOT NULL,
    minerals   TEXT NOT NULL,
    stage      TEXT,
    area_km2   REAL NOT NULL,
    valid_from TEXT,
    valid_to   TEXT,
    issuer     TEXT,
    block      TEXT REFERENCES exploration_blocks(code),
    key_area   TEXT REFERENCES exploration_areas(code),
    district   TEXT,
    remark     TEXT,
    -- BEGIN life (columns schema 6 appended; minreg_roles 'appended')
    credit_code TEXT,
    surveyor TEXT,
    project_nature TEXT,
    grant_method TEXT,
    reg_type TEXT,
    issuer_name TEXT,
    issue_date TEXT,
    first_issue_date TEXT,
    first_area REAL
    -- END life
);

CREATE TABLE mining_permits (
    rid        INTEGER PRIMARY KEY,
    id          INTEGER UNIQUE,
    permit_no   TEXT UNIQUE,
    holder      TEXT,
    mine_name   TEXT NOT NULL,
    minerals    TEXT NOT NULL,
    method      TEXT,
    scale       REAL,
    scale_unit  TEXT,
    size_class  TEXT,
    area_km2    REAL NOT NULL,
    elev_top    REAL,
    elev_bottom REAL,
    valid_from  TEXT,
    valid_to    TEXT,
    status      TEXT,
    issuer      TEXT,
    block       TEXT REFERENCES mining_blocks(code),
    key_area    TEXT REFERENCES mining_areas(code),
    district    TEXT,
    remark      TEXT,
    -- BEGIN life (columns schema 6 appended; minreg_roles 'appended')
    credit_code TEXT,
    econ_type TEXT,
    grant_method TEXT,
    reg_type TEXT,
    issuer_name TEXT,
    issue_date TEXT,
    first_issue_date TEXT,
    first_area REAL,
    service_years REAL
    -- END life
);

CREATE TABLE indicators (
    rid        INTEGER PRIMARY KEY,
    seq       INTEGER UNIQUE,
    category  TEXT NOT NULL,
    name      TEXT NOT NULL UNIQUE,
    unit      TEXT NOT NULL,
    value     REAL NOT NULL,
    attribute TEXT NOT NULL,
    mineral   TEXT REFERENCES minerals(name)
);

CREATE TABLE quotas (
    rid        INTEGER PRIMARY KEY,
    id        INTEGER UNIQUE,
    seq       INTEGER,
    mineral   TEXT NOT NULL REFERENCES minerals(name),
    unit      TEXT NOT NULL,
    district  TEXT NOT NULL,
    amount    REAL NOT NULL,
    attribute TEXT NOT NULL,
    UNIQUE (mineral, district)
);

CREATE TABLE block_summary (
    rid        INTEGER PRIMARY KEY,
    seq         INTEGER,
    category    TEXT UNIQUE,
    block_count INTEGER NOT NULL,
    area_km2    REAL NOT NULL,
    remark      TEXT
);

-- Indexes on link columns: "referenced by" lookups and joins stay fast.
CREATE INDEX exploration_blocks_area ON exploration_blocks(area_code);
CREATE INDEX mining_blocks_area      ON mining_blocks(area_code);
CREATE INDEX mining_blocks_sand      ON mining_blocks(sand_code);
CREATE INDEX exploration_permits_block ON exploration_permits(block);
CREATE INDEX exploration_permits_area  ON exploration_permits(key_area);
CREATE INDEX mining_permits_block    ON mining_permits(block);
CREATE INDEX mining_permits_area     ON mining_permits(key_area);
CREATE INDEX deposits_mineral        ON deposits(main_mineral);
CREATE INDEX reserves_mineral        ON reserves(mineral);

------------------------------------------------------------------------------
-- Register descriptions
------------------------------------------------------------------------------
-- id, ord, grp, appendix, alias, title, title_en, source, key_col, label_col
INSERT INTO minreg_tables VALUES
 ('national_areas',      1, '规划附表', '附表1',  'a1',  '国家规划矿区表', 'National planned mining areas', '附表1 / 专栏二（第四章第三节）', 'code', 'name'),
 ('exploration_areas',   2, '规划附表', '附表2',  'a2',  '矿产资源重点勘查区表', 'Key exploration areas', '附表2 / 专栏三（第五章第三节）', 'code', 'name'),
 ('exploration_blocks',  3, '规划附表', '附表3',  'a3',  '勘查规划区块表', 'Exploration planning blocks', '附表3（第五章第四节）', 'code', 'name'),
 ('mining_areas',        4, '规划附表', '附表4',  'a4',  '矿产资源重点开采区表', 'Key mining areas', '附表4 / 专栏七（第六章第三节）', 'code', 'name'),
 ('mining_blocks',       5, '规划附表', '附表5',  'a5',  '开采规划区块表', 'Mining planning blocks', '附表5（第六章第五节）', 'code', 'name'),
 ('min_scales',          6, '规划附表', '附表6',  'a6',  '重点矿种矿山最低开采规模规划表', 'Minimum mining scales', '附表6 / 专栏六（第六章第二节）', 'mineral', 'mineral'),
 ('sand_areas',          7, '规划附表', '附表7',  'a7',  '砂石土类矿产集中开采区表', 'Sand and gravel concentrated mining areas', '附表7 / 专栏八（第六章第六节）', 'code', 'name'),
 ('deposits',            8, '规划附表', '附表8',  'a8',  '规划基期矿区（床）基本情况表', 'Deposits at the base period', '附表8（第一章第一节）', 'id', 'name'),
 ('reserves',            9, '规划附表', '附表9',  'a9',  '规划基期查明矿产资源储量统计表', 'Proven reserves at the base period', '附表9', 'id', 'mineral'),
 ('exploration_permits',10, '规划附表', '附表10', 'a10', '规划基期探矿权现状表', 'Exploration permits at the base period', '附表10（第八章 专栏九 等）', 'id', 'project'),
 ('mining_permits',     11, '规划附表', '附表11', 'a11', '规划基期采矿权现状表', 'Mining permits at the base period', '附表11（第八章 专栏九 等）', 'id', 'mine_name'),
 ('indicators',         12, '正文专栏', '专栏一', 'c1',  '主要规划指标', 'Main plan indicators', '专栏一（第三章第二节）', 'seq', 'name'),
 ('quotas',             13, '正文专栏', '',       'q',   '开采总量控制', 'Extraction quotas per county', '第六章第一节 开采控制量表', 'id', 'mineral'),
 ('block_summary',      14, '正文专栏', '',       'bs',  '勘查规划区块汇总', 'Exploration blocks by category', '第五章第四节 勘查规划区块表', 'category', 'category'),
 ('minerals',           15, '字典',     '',       'm',   '矿种', 'Minerals', '第四章第一节二 勘查开采差别化管理', 'name', 'name'),
 ('districts',          16, '字典',     '',       'd',   '行政区', 'Districts', 'GB/T 2260 行政区划代码', 'code', 'name');

------------------------------------------------------------------------------
-- Columns
------------------------------------------------------------------------------
-- tbl, ord, id, label, label_en, type, unit, required, enum, pattern, link_tbl, link_col, multi, scale
INSERT INTO minreg_columns (tbl, ord, id, label, label_en, type, unit, required, enum, pattern,
                            link_tbl, link_col, multi, scale) VALUES
 ('districts', 1, 'code',       '行政区代码', 'Code',       'text', '', 1, '', '^\d{6}$', '', '', 0, -1),
 ('districts', 2, 'name',       '名称',       'Name',       'text', '', 1, '', '', '', '', 0, -1),
 ('districts', 3, 'short_name', '简称',       'Short name', 'text', '', 1, '', '', '', '', 0, -1),
 ('districts', 4, 'level',      '级别',       'Level',      'text', '', 1, '地级市|市辖区|县|自治县|县级市', '', '', '', 0, -1),
 ('districts', 5, 'parent',     '上级',       'Parent',     'text', '', 0, '', '^\d{6}$', 'districts', 'code', 0, -1),

 ('minerals', 1, 'name',           '矿种名称', 'Mineral',            'text', '', 1, '', '', '', '', 0, -1),
 ('minerals', 2, 'category',       '矿产类别', 'Category',           'text', '', 1, '能源矿产|金属矿产|非金属矿产|水气矿产', '', '', '', 0, -1),
 ('minerals', 3, 'subcategory',    '亚类',     'Subcategory',        'text', '', 0, '能源矿产|黑色金属矿产|有色金属矿产|贵金属矿产|稀有稀土矿产|冶金辅助原料非金属矿产|化工原料非金属矿产|特种非金属矿产|建材及其它非金属矿产|水气矿产', '', '', '', 0, -1),
 ('minerals', 4, 'explore_policy', '勘查调控', 'Exploration policy', 'text', '', 0, '重点勘查|限制勘查', '', '', '', 0, -1),
 ('minerals', 5, 'mine_policy',    '开采调控', 'Mining policy',      'text', '', 0, '重点开采|限制开采|禁止开采', '', '', '', 0, -1),
 ('minerals', 6, 'remark',         '备注',     'Remark',             'text', '', 0, '', '', '', '', 0, -1),

 ('national_areas', 1, 'seq',       '序号',       'No.',       'int',  '',         0, '', '', '', '', 0, -1),
 ('national_areas', 2, 'code',      '编号',       'Code',      'text', '',         1, '', '^GK\d{11}$', '', '', 0, -1),
 ('national_areas', 3, 'name',      '名称',       'Name',      'text', '',         1, '', '', '', '', 0, -1),
 ('national_areas', 4, 'minerals',  '主要矿种',   'Minerals',  'text', '',         1, '', '', 'minerals', 'name', 1, -1),
 ('national_areas', 5, 'area_km2',  '面积',       'Area',      'dec',  '平方公里', 1, '', '', '', '', 0, 4),
 ('national_areas', 6, 'districts', '所在行政区', 'Districts', 'text', '',         0, '', '', 'districts', 'short_name', 1, -1),
 ('national_areas', 7, 'remark',    '备注',       'Remark',    'text', '',         0, '', '', '', '', 0, -1),

 ('exploration_areas', 1, 'seq',              '序号',         'No.',              'int',  '',         0, '', '', '', '', 0, -1),
 ('exploration_areas', 2, 'code',             '编号',         'Code',             'text', '',         1, '', '^KZ\d{11}$', '', '', 0, -1),
 ('exploration_areas', 3, 'name',             '名称',         'Name',             'text', '',         1, '', '', '', '', 0, -1),
 ('exploration_areas', 4, 'minerals',         '主要矿种',     'Minerals',         'text', '',         1, '', '', 'minerals', 'name', 1, -1),
 ('exploration_areas', 5, 'area_km2',         '面积',         'Area',             'dec',  '平方公里', 1, '', '', '', '', 0, 4),
 ('exploration_areas', 6, 'permits_existing', '已设矿权数量', 'Permits granted',  'int',  '个',       0, '', '', '', '', 0, -1),
 ('exploration_areas', 7, 'permits_planned',  '拟设矿权数量', 'Permits planned',  'int',  '个',       0, '', '', '', '', 0, -1),
 ('exploration_areas', 8, 'district',         '所在行政区',   'District',         'text', '',         0, '', '', 'districts', 'short_name', 0, -1),
 ('exploration_areas', 9, 'remark',           '备注',         'Remark',           'text', '',         0, '', '', '', '', 0, -1),

 ('exploration_blocks',  1, 'code',      '区块编号',     'Code',            'text', '',         1, '', '', '', '', 0, -1),
 ('exploration_blocks',  2, 'name',      '区块名称',     'Name',            'text', '',         1, '', '', '', '', 0, -1),
 ('exploration_blocks',  3, 'area_code', '所在重点勘查区', 'Key area',      'text', '',         0, '', '^KZ\d{11}$', 'exploration_areas', 'code', 0, -1),
 ('exploration_blocks',  4, 'minerals',  '勘查矿种',     'Minerals',        'text', '',         1, '', '', 'minerals', 'name', 1, -1),
 ('exploration_blocks',  5, 'category',  '矿产类别',     'Category',        'text', '',         0, '', '', 'block_summary', 'category', 0, -1),
 ('exploration_blocks',  6, 'stage',     '勘查阶段',     'Stage',           'text', '',         0, '预查|普查|详查|勘探', '', '', '', 0, -1),
 ('exploration_blocks',  7, 'area_km2',  '面积',         'Area',            'dec',  '平方公里', 1, '', '', '', '', 0, 4),
 ('exploration_blocks',  8, 'year_from', '投放起始年',   'Release from',    'year', '',         0, '', '', '', '', 0, -1),
 ('exploration_blocks',  9, 'year_to',   '投放截止年',   'Release to',      'year', '',         0, '', '', '', '', 0, -1),
 ('exploration_blocks', 10, 'authority', '出让登记权限', 'Grant authority', 'text', '',         0, '部级|省级|市级|县级', '', '', '', 0, -1),
 ('exploration_blocks', 11, 'district',  '所在行政区',   'District',        'text', '',         0, '', '', 'districts', 'short_name', 0, -1),
 ('exploration_blocks', 12, 'vertices',  '拐点坐标',     'Vertices',        'text', '',         0, '', '', '', '', 0, -1),
 ('exploration_blocks', 13, 'remark',    '备注',         'Remark',          'text', '',         0, '', '', '', '', 0, -1),

 ('mining_areas', 1, 'seq',              '序号',           'No.',             'int',  '',         0, '', '', '', '', 0, -1),
 ('mining_areas', 2, 'code',             '编号',           'Code',            'text', '',         1, '', '^CZ\d{11}$', '', '', 0, -1),
 ('mining_areas', 3, 'name',             '重点区名称',     'Name',            'text', '',         1, '', '', '', '', 0, -1),
 ('mining_areas', 4, 'minerals',         '主要矿产',       'Minerals',        'text', '',         1, '', '', 'minerals', 'name', 1, -1),
 ('mining_areas', 5, 'area_km2',         '面积',           'Area',            'dec',  '平方公里', 1, '', '', '', '', 0, 4),
 ('mining_areas', 6, 'permits_existing', '已设采矿权数量', 'Permits granted', 'int',  '个',       0, '', '', '', '', 0, -1),
 ('mining_areas', 7, 'permits_planned',  '拟设采矿权数量', 'Permits planned', 'int',  '个',       0, '', '', '', '', 0, -1),
 ('mining_areas', 8, 'district',         '所在行政区',     'District',        'text', '',         0, '', '', 'districts', 'short_name', 1, -1),
 ('mining_areas', 9, 'remark',           '备注',           'Remark',          'text', '',         0, '', '', '', '', 0, -1),

 ('mining_blocks',  1, 'code',       '区块编号',       'Code',            'text', '',         1, '', '', '', '', 0, -1),
 ('mining_blocks',  2, 'name',       '区块名称',       'Name',            'text', '',         1, '', '', '', '', 0, -1),
 ('mining_blocks',  3, 'area_code',  '所在重点开采区', 'Key mining area', 'text', '',         0, '', '^CZ\d{11}$', 'mining_areas', 'code', 0, -1),
 ('mining_blocks',  4, 'sand_code',  '所在集中开采区', 'Sand area',       'text', '',         0, '', '^CS\d{11}$', 'sand_areas', 'code', 0, -1),
 ('mining_blocks',  5, 'minerals',   '开采矿种',       'Minerals',        'text', '',         1, '', '', 'minerals', 'name', 1, -1),
 ('mining_blocks',  6, 'method',     '开采方式',       'Mining method',   'text', '',         0, '露天开采|地下开采|露天-地下联合开采', '', '', '', 0, -1),
 ('mining_blocks',  7, 'scale',      '规划开采规模',   'Planned scale',   'dec',  '',         0, '', '', '', '', 0, -1),
 ('mining_blocks',  8, 'scale_unit', '规模单位',       'Scale unit',      'text', '',         0, '', '', '', '', 0, -1),
 ('mining_blocks',  9, 'size_class', '矿山规模',       'Mine size',       'text', '',         0, '大型|中型|小型', '', '', '', 0, -1),
 ('mining_blocks', 10, 'area_km2',   '面积',           'Area',            'dec',  '平方公里', 1, '', '', '', '', 0, 4),
 ('mining_blocks', 11, 'year_from',  '投放起始年',     'Release from',    'year', '',         0, '', '', '', '', 0, -1),
 ('mining_blocks', 12, 'year_to',    '投放截止年',     'Release to',      'year', '',         0, '', '', '', '', 0, -1),
 ('mining_blocks', 13, 'authority',  '出让登记权限',   'Grant authority', 'text', '',         0, '部级|省级|市级|县级', '', '', '', 0, -1),
 ('mining_blocks', 14, 'district',   '所在行政区',     'District',        'text', '',         0, '', '', 'districts', 'short_name', 0, -1),
 ('mining_blocks', 15, 'vertices',   '拐点坐标',       'Vertices',        'text', '',         0, '', '', '', '', 0, -1),
 ('mining_blocks', 16, 'remark',     '备注',           'Remark',          'text', '',         0, '', '', '', '', 0, -1),

 ('min_scales',  1, 'seq',            '序号',         'No.',                 'int',  '', 0, '', '', '', '', 0, -1),
 ('min_scales',  2, 'mineral',        '矿种名称',     'Mineral',             'text', '', 1, '', '', 'minerals', 'name', 0, -1),
 ('min_scales',  3, 'unit',           '开采规模单位', 'Scale unit',          'text', '', 1, '', '', '', '', 0, -1),
 ('min_scales',  4, 'large',          '大型',         'Large',               'dec',  '', 0, '', '', '', '', 0, -1),
 ('min_scales',  5, 'large_rule',     '大型准入',     'Large rule',          'text', '', 1, '最低规模|禁止新建|无要求', '', '', '', 0, -1),
 ('min_scales',  6, 'medium',         '中型',         'Medium',              'dec',  '', 0, '', '', '', '', 0, -1),
 ('min_scales',  7, 'medium_rule',    '中型准入',     'Medium rule',         'text', '', 1, '最低规模|禁止新建|无要求', '', '', '', 0, -1),
 ('min_scales',  8, 'small',          '小型',         'Small',               'dec',  '', 0, '', '', '', '', 0, -1),
 ('min_scales',  9, 'small_rule',     '小型准入',     'Small rule',          'text', '', 1, '最低规模|禁止新建|无要求', '', '', '', 0, -1),
 ('min_scales', 10, 'applies_to',     '表中数据适用', 'Figures apply to',    'text', '', 0, '', '', '', '', 0, -1),
 ('min_scales', 11, 'alt_condition',  '另行规定适用', 'Second rule for',     'text', '', 0, '', '', '', '', 0, -1),
 ('min_scales', 12, 'alt_large',      '另行规定大型', 'Second rule large',   'dec',  '', 0, '', '', '', '', 0, -1),
 ('min_scales', 13, 'alt_medium',     '另行规定中型', 'Second rule medium',  'dec',  '', 0, '', '', '', '', 0, -1),
 ('min_scales', 14, 'alt_small',      '另行规定小型', 'Second rule small',   'dec',  '', 0, '', '', '', '', 0, -1),
 ('min_scales', 15, 'alt_small_rule', '另行规定小型准入', 'Second rule small rule', 'text', '', 0, '最低规模|禁止新建|无要求', '', '', '', 0, -1),
 ('min_scales', 16, 'basis',          '依据',         'Basis',               'text', '', 0, '省规|市规', '', '', '', 0, -1),
 ('min_scales', 17, 'note',           '备注',         'Note',                'text', '', 0, '', '', '', '', 0, -1),

 ('sand_areas',  1, 'seq',             '序号',         'No.',             'int',  '',         0, '', '', '', '', 0, -1),
 ('sand_areas',  2, 'code',            '编号',         'Code',            'text', '',         1, '', '^CS\d{11}$', '', '', 0, -1),
 ('sand_areas',  3, 'name',            '名称',         'Name',            'text', '',         1, '', '', '', '', 0, -1),
 ('sand_areas',  4, 'area_km2',        '面积',         'Area',            'dec',  '平方公里', 1, '', '', '', '', 0, 4),
 ('sand_areas',  5, 'minerals',        '主要矿产',     'Minerals',        'text', '',         1, '', '', 'minerals', 'name', 1, -1),
 ('sand_areas',  6, 'permits_planned', '拟设采矿权',   'Permits planned', 'int',  '个',       0, '', '', '', '', 0, -1),
 ('sand_areas',  7, 'scale_unit',      '单位',         'Unit',            'text', '',         0, '', '', '', '', 0, -1),
 ('sand_areas',  8, 'min_scale',       '最低开采规模', 'Minimum scale',   'dec',  '',         0, '', '', '', '', 0, -1),
 ('sand_areas',  9, 'district',        '所在行政区',   'District',        'text', '',         0, '', '', 'districts', 'short_name', 0, -1),
 ('sand_areas', 10, 'remark',          '备注',         'Remark',          'text', '',         0, '', '', '', '', 0, -1),

 ('deposits',  1, 'id',                '序号',         'No.',               'int',  '', 1, '', '', '', '', 0, -1),
 ('deposits',  2, 'name',              '矿区名称',     'Deposit',           'text', '', 1, '', '', '', '', 0, -1),
 ('deposits',  3, 'main_mineral',      '主矿种',       'Main mineral',      'text', '', 1, '', '', 'minerals', 'name', 0, -1),
 ('deposits',  4, 'assoc_minerals',    '共伴生矿种',   'Associated',        'text', '', 0, '', '', 'minerals', 'name', 1, -1),
 ('deposits',  5, 'size_class',        '矿床规模',     'Deposit size',      'text', '', 0, '大型|中型|小型', '', '', '', 0, -1),
 ('deposits',  6, 'exploration_level', '勘查程度',     'Exploration level', 'text', '', 0, '预查|普查|详查|勘探', '', '', '', 0, -1),
 ('deposits',  7, 'utilization',       '开发利用状况', 'Utilization',       'text', '', 0, '开发利用|停采|未开发利用|闭坑', '', '', '', 0, -1),
 ('deposits',  8, 'resource',          '保有资源量',   'Retained resource', 'dec',  '', 0, '', '', '', '', 0, -1),
 ('deposits',  9, 'resource_unit',     '资源量单位',   'Resource unit',     'text', '', 0, '', '', '', '', 0, -1),
 ('deposits', 10, 'district',          '所在行政区',   'District',          'text', '', 0, '', '', 'districts', 'short_name', 0, -1),
 ('deposits', 11, 'longitude',         '经度',         'Longitude',         'dec',  '度', 0, '', '', '', '', 0, -1),
 ('deposits', 12, 'latitude',          '纬度',         'Latitude',          'dec',  '度', 0, '', '', '', '', 0, -1),
 ('deposits', 13, 'remark',            '备注',         'Remark',            'text', '', 0, '', '', '', '', 0, -1),

 ('reserves',  1, 'id',                 '序号',           'No.',               'int',  '', 1, '', '', '', '', 0, -1),
 ('reserves',  2, 'mineral',            '矿种',           'Mineral',           'text', '', 1, '', '', 'minerals', 'name', 0, -1),
 ('reserves',  3, 'counted_as',         '统计对象',       'Counted as',        'text', '', 0, '矿石|金属|矿物|化合物', '', '', '', 0, -1),
 ('reserves',  4, 'unit',               '单位',           'Unit',              'text', '', 0, '', '', '', '', 0, -1),
 ('reserves',  5, 'deposit_count',      '矿区数',         'Deposits',          'int',  '处', 0, '', '', '', '', 0, -1),
 ('reserves',  6, 'proven_cumulative',  '累计查明',       'Cumulative proven', 'dec',  '', 0, '', '', '', '', 0, -1),
 ('reserves',  7, 'retained_measured',  '保有探明',       'Measured',          'dec',  '', 0, '', '', '', '', 0, -1),
 ('reserves',  8, 'retained_indicated', '保有控制',       'Indicated',         'dec',  '', 0, '', '', '', '', 0, -1),
 ('reserves',  9, 'retained_inferred',  '保有推断',       'Inferred',          'dec',  '', 0, '', '', '', '', 0, -1),
 ('reserves', 10, 'reserves',           '储量',           'Reserves',          'dec',  '', 0, '', '', '', '', 0, -1),
 ('reserves', 11, 'remark',             '备注',           'Remark',            'text', '', 0, '', '', '', '', 0, -1),

 ('exploration_permits',  1, 'id',         '序号',         'No.',             'int',  '',         1, '', '', '', '', 0, -1),
 ('exploration_permits',  2, 'permit_no',  '勘查许可证号', 'Permit no.',      'text', '',         0, '', '^(T\d{2}[1-5]\d{6}0[1-4]\d{6}|[TC]\d{22})$', '', '', 0, -1),
 ('exploration_permits',  3, 'holder',     '探矿权人',     'Holder',          'text', '',         0, '', '', '', '', 0, -1),
 ('exploration_permits',  4, 'project',    '项目名称',     'Project',         'text', '',         1, '', '', '', '', 0, -1),
 ('exploration_permits',  5, 'minerals',   '矿种',         'Minerals',        'text', '',         1, '', '', 'minerals', 'name', 1, -1),
 ('exploration_permits',  6, 'stage',      '勘查阶段',     'Stage',           'text', '',         0, '预查|普查|详查|勘探', '', '', '', 0, -1),
 ('exploration_permits',  7, 'area_km2',   '登记面积',     'Area',            'dec',  '平方公里', 1, '', '', '', '', 0, 4),
 ('exploration_permits',  8, 'valid_from', '有效期起',     'Valid from',      'date', '',         0, '', '', '', '', 0, -1),
 ('exploration_permits',  9, 'valid_to',   '有效期止',     'Valid to',        'date', '',         0, '', '', '', '', 0, -1),
 ('exploration_permits', 10, 'issuer',     '发证机关',     'Issuer',          'text', '',         0, '部级|省级|市级|县级', '', '', '', 0, -1),
 ('exploration_permits', 11, 'block',      '勘查规划区块', 'Block',           'text', '',         0, '', '', 'exploration_blocks', 'code', 0, -1),
 ('exploration_permits', 12, 'key_area',   '所在重点勘查区', 'Key area',      'text', '',         0, '', '^KZ\d{11}$', 'exploration_areas', 'code', 0, -1),
 ('exploration_permits', 13, 'district',   '所在行政区',   'District',        'text', '',         0, '', '', 'districts', 'short_name', 0, -1),
 ('exploration_permits', 14, 'remark',     '备注',         'Remark',          'text', '',         0, '', '', '', '', 0, -1),

 ('mining_permits',  1, 'id',          '序号',         'No.',            'int',  '',         1, '', '', '', '', 0, -1),
 ('mining_permits',  2, 'permit_no',   '采矿许可证号', 'Permit no.',     'text', '',         0, '', '^C\d{22}$', '', '', 0, -1),
 ('mining_permits',  3, 'holder',      '采矿权人',     'Holder',         'text', '',         0, '', '', '', '', 0, -1),
 ('mining_permits',  4, 'mine_name',   '矿山名称',     'Mine',           'text', '',         1, '', '', '', '', 0, -1),
 ('mining_permits',  5, 'minerals',    '开采矿种',     'Minerals',       'text', '',         1, '', '', 'minerals', 'name', 1, -1),
 ('mining_permits',  6, 'method',      '开采方式',     'Mining method',  'text', '',         0, '露天开采|地下开采|露天-地下联合开采', '', '', '', 0, -1),
 ('mining_permits',  7, 'scale',       '生产规模',     'Production scale', 'dec', '',        0, '', '', '', '', 0, -1),
 ('mining_permits',  8, 'scale_unit',  '规模单位',     'Scale unit',     'text', '',         0, '', '', '', '', 0, -1),
 ('mining_permits',  9, 'size_class',  '矿山规模',     'Mine size',      'text', '',         0, '大型|中型|小型', '', '', '', 0, -1),
 ('mining_permits', 10, 'area_km2',    '登记面积',     'Area',           'dec',  '平方公里', 1, '', '', '', '', 0, 4),
 ('mining_permits', 11, 'elev_top',    '开采标高上限', 'Elevation top',  'dec',  '米',       0, '', '', '', '', 0, -1),
 ('mining_permits', 12, 'elev_bottom', '开采标高下限', 'Elevation bottom', 'dec', '米',       0, '', '', '', '', 0, -1),
 ('mining_permits', 13, 'valid_from',  '有效期起',     'Valid from',     'date', '',         0, '', '', '', '', 0, -1),
 ('mining_permits', 14, 'valid_to',    '有效期止',     'Valid to',       'date', '',         0, '', '', '', '', 0, -1),
 ('mining_permits', 15, 'status',      '生产状态',     'Status',         'text', '',         0, '生产|停产|筹建|关闭', '', '', '', 0, -1),
 ('mining_permits', 16, 'issuer',      '发证机关',     'Issuer',         'text', '',         0, '部级|省级|市级|县级', '', '', '', 0, -1),
 ('mining_permits', 17, 'block',       '开采规划区块', 'Block',          'text', '',         0, '', '', 'mining_blocks', 'code', 0, -1),
 ('mining_permits', 18, 'key_area',    '所在重点开采区', 'Key mining area', 'text', '',       0, '', '^CZ\d{11}$', 'mining_areas', 'code', 0, -1),
 ('mining_permits', 19, 'district',    '所在行政区',   'District',       'text', '',         0, '', '', 'districts', 'short_name', 0, -1),
 ('mining_permits', 20, 'remark',      '备注',         'Remark',         'text', '',         0, '', '', '', '', 0, -1),

 ('indicators', 1, 'seq',       '序号',     'No.',       'int',  '', 1, '', '', '', '', 0, -1),
 ('indicators', 2, 'category',  '类别',     'Category',  'text', '', 1, '', '', '', '', 0, -1),
 ('indicators', 3, 'name',      '指标名称', 'Indicator', 'text', '', 1, '', '', '', '', 0, -1),
 ('indicators', 4, 'unit',      '指标单位', 'Unit',      'text', '', 1, '', '', '', '', 0, -1),
 ('indicators', 5, 'value',     '指标额度', 'Target',    'dec',  '', 1, '', '', '', '', 0, -1),
 ('indicators', 6, 'attribute', '属性',     'Attribute', 'text', '', 1, '预期性|约束性', '', '', '', 0, -1),
 ('indicators', 7, 'mineral',   '对应矿种', 'Mineral',   'text', '', 0, '', '', 'minerals', 'name', 0, -1),

 ('quotas', 1, 'id',        '记录号',     'Id',        'int',  '', 1, '', '', '', '', 0, -1),
 ('quotas', 2, 'seq',       '序号',       'No.',       'int',  '', 0, '', '', '', '', 0, -1),
 ('quotas', 3, 'mineral',   '矿产名称',   'Mineral',   'text', '', 1, '', '', 'minerals', 'name', 0, -1),
 ('quotas', 4, 'unit',      '计量单位',   'Unit',      'text', '', 1, '', '', '', '', 0, -1),
 ('quotas', 5, 'district',  '县（市）',   'County',    'text', '', 1, '', '', 'districts', 'short_name', 0, -1),
 ('quotas', 6, 'amount',    '开采控制量', 'Quota',     'dec',  '', 1, '', '', '', '', 0, -1),
 ('quotas', 7, 'attribute', '备注',       'Attribute', 'text', '', 1, '预期性|约束性', '', '', '', 0, -1),

 ('block_summary', 1, 'seq',         '序号',     'No.',      'int',  '',         0, '', '', '', '', 0, -1),
 ('block_summary', 2, 'category',    '矿产类别', 'Category', 'text', '',         1, '', '', '', '', 0, -1),
 ('block_summary', 3, 'block_count', '区块数量', 'Blocks',   'int',  '个',       1, '', '', '', '', 0, -1),
 ('block_summary', 4, 'area_km2',    '区块面积', 'Area',     'dec',  '平方公里', 1, '', '', '', '', 0, 4),
 ('block_summary', 5, 'remark',      '备注',     'Remark',   'text', '',         0, '', '', '', '', 0, -1);

-- Row numbers (序号) that are a register's key: minreg gives a new row the
-- highest number plus one when it is left empty.  They are ordinary values,
-- positive and bounded, not the row's identity (rid).
UPDATE minreg_columns SET required = 0, range = '1..999999999'
 WHERE (tbl, id) IN (VALUES ('exploration_permits','id'), ('mining_permits','id'),
                            ('deposits','id'), ('reserves','id'), ('quotas','id'),
                            ('indicators','seq'));

-- Ranges and orderings (validation reads these like every other attribute).
UPDATE minreg_columns SET range = '>0' WHERE type = 'dec' AND unit = '平方公里';
UPDATE minreg_columns SET range = '>0' WHERE id IN ('scale', 'min_scale');
UPDATE minreg_columns SET range = '>=0'
 WHERE type = 'int' AND id IN ('permits_existing', 'permits_planned', 'block_count', 'deposit_count');
UPDATE minreg_columns SET range = '>=0' WHERE tbl = 'quotas' AND id = 'amount';
UPDATE minreg_columns SET range = '>=0'
 WHERE tbl = 'min_scales' AND id IN ('large', 'medium', 'small', 'alt_large', 'alt_medium', 'alt_small');
UPDATE minreg_columns SET range = '1900..2100' WHERE type = 'year';
UPDATE minreg_columns SET range = '-180..180' WHERE id = 'longitude';
UPDATE minreg_columns SET range = '-90..90' WHERE id = 'latitude';
UPDATE minreg_columns SET not_before = 'valid_from' WHERE id = 'valid_to';
UPDATE minreg_columns SET not_before = 'year_from' WHERE id = 'year_to';
UPDATE minreg_columns SET not_before = 'elev_bottom' WHERE id = 'elev_top';

-- BEGIN life ----------------------------------------------------------------
-- The life of a permit (schema 6).  A permit is issued (新立), extended
-- (延续), changed (变更; 转让 to another holder), retained (保留) and
-- cancelled (注销); since 自然资办发〔2020〕32号 each of these but 注销 gives
-- it a new 证号, so a permit is named by its 序号 and its events keep the
-- chain of numbers.  permit_events is an ordinary register (forms, import,
-- export, links all work on it); `minreg event` records an event and the
-- permit's update in one audited change, by the rules below.
--
-- minreg_roles says what a column *is* to the generic code, so no C names
-- a register's column: on a permit register 'number' (证号), 'holder',
-- 'start'/'expiry' (有效期), 'area', 'status', 'regtype' (登记类型),
-- 'district'; 'credit' marks a 统一社会信用代码 (GB 32100-2015: its check
-- character is validated); on the events register 'event_type',
-- 'event_date', 'event_doc', 'event_note', 'event_changes', 'event_of' (the
-- link to the permit), and 'was:ROLE'/'now:ROLE' (the permit's ROLE before
-- and after).  'appended': a column a migration added to a register that
-- already had rows; while it is empty it is left out of the row's sum, so
-- rows written before still verify (src/core/db_chain.c).
CREATE TABLE minreg_roles (
    tbl  TEXT NOT NULL,
    col  TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (tbl, col, role)
);
-- What each event type does (minreg event): regtype, the 登记类型 it leaves
-- on the permit; needs, the roles (';'-list) the event must give a new
-- value; sets, ROLE=VALUE pairs it writes on the permit (where the permit
-- has the role), and flags: 'any', the event may change any of the
-- permit's fields (the event form offers them all), 'annual', it files the
-- 年度信息 (report yearly), 'ends', it ends the permit's life (its regtype
-- is the cancelled one: nothing is recorded after it, nothing expires); live 1: refused on a cancelled (注销) permit; first 1: only
-- as the permit's first event.  An event that gives a new expiry must be
-- dated inside the validity it extends and, filed later than `days` days
-- before the old expiry, is late (矿产资源开采登记管理办法 第七条).
CREATE TABLE minreg_event_types (
    type     TEXT PRIMARY KEY,
    ord      INTEGER NOT NULL,
    label_en TEXT NOT NULL,
    regtype  TEXT NOT NULL DEFAULT '',
    needs    TEXT NOT NULL DEFAULT '',
    sets     TEXT NOT NULL DEFAULT '',
    live     INTEGER NOT NULL DEFAULT 1,
    first    INTEGER NOT NULL DEFAULT 0,
    days     INTEGER NOT NULL DEFAULT 0,
    note     TEXT NOT NULL DEFAULT ''
);
INSERT INTO minreg_event_types VALUES
 ('新立', 1, 'Issued',      '新立', '',       '',            0, 1, 0,  '首次登记'),
 ('延续', 2, 'Extended',    '延续', 'expiry', '',            1, 0, 30, '有效期届满30日前申请（矿产资源开采登记管理办法 第七条）'),
 ('变更', 3, 'Changed',     '变更', '',       'any',         1, 0, 0,  '范围、主矿种、开采方式、矿业权人名称'),
 ('转让', 4, 'Transferred', '变更', 'holder', '',            1, 0, 0,  '转让：新的矿业权人'),
 ('保留', 5, 'Retained',    '保留', '',       '',            1, 0, 0,  '探矿权保留'),
 ('注销', 6, 'Cancelled',   '注销', '',       'status=关闭;ends', 1, 0, 0,  '含政策性关闭、公告注销'),
 -- schema 7 (data/migrate/v7-life.sql): the 年度信息 filed, changing
 -- nothing on the permit; 'annual' in sets marks it (report yearly)
 ('年报', 7, 'Annual report filed', '', '', 'annual', 1, 0, 0, '年度信息公示：每年3月31日前填报上一年度（矿业权人勘查开采信息公示办法）');

CREATE TABLE permit_events (
    rid        INTEGER PRIMARY KEY,
    id         INTEGER UNIQUE,
    type       TEXT NOT NULL,
    date       TEXT NOT NULL,
    doc        TEXT,
    exploration_permit INTEGER REFERENCES exploration_permits(id),
    mining_permit      INTEGER REFERENCES mining_permits(id),
    old_no     TEXT,
    new_no     TEXT,
    old_valid_to   TEXT,
    new_valid_from TEXT,
    new_valid_to   TEXT,
    old_area   REAL,
    new_area   REAL,
    old_holder TEXT,
    new_holder TEXT,
    changes    TEXT,
    note       TEXT
);
CREATE INDEX permit_events_exploration ON permit_events(exploration_permit);
CREATE INDEX permit_events_mining ON permit_events(mining_permit);
CREATE INDEX permit_events_old_no ON permit_events(old_no);

INSERT INTO minreg_tables VALUES
 ('permit_events', 17, '登记', '', 'ev', '矿业权登记事项', 'Permit registration events',
  '矿业权登记信息管理办法（自然资办发〔2020〕32号）', 'id', 'type');

INSERT INTO minreg_columns (tbl, ord, id, label, label_en, type, unit, required, enum, pattern,
                            link_tbl, link_col, multi, scale, range) VALUES
 ('permit_events',  1, 'id',                 '序号',         'No.',            'int',  '', 0, '', '', '', '', 0, -1, '1..999999999'),
 ('permit_events',  2, 'type',               '登记事项',     'Event',          'text', '', 1, '新立|延续|变更|转让|保留|注销|年报', '', '', '', 0, -1, ''),
 ('permit_events',  3, 'date',               '登记日期',     'Date',           'date', '', 1, '', '', '', '', 0, -1, ''),
 ('permit_events',  4, 'doc',                '批准文号',     'Document no.',   'text', '', 0, '', '', '', '', 0, -1, ''),
 ('permit_events',  5, 'exploration_permit', '探矿权',       'Exploration permit', 'int', '', 0, '', '', 'exploration_permits', 'id', 0, -1, ''),
 ('permit_events',  6, 'mining_permit',      '采矿权',       'Mining permit',  'int',  '', 0, '', '', 'mining_permits', 'id', 0, -1, ''),
 ('permit_events',  7, 'old_no',             '原证号',       'Former no.',     'text', '', 0, '', '', '', '', 0, -1, ''),
 ('permit_events',  8, 'new_no',             '新证号',       'New no.',        'text', '', 0, '', '', '', '', 0, -1, ''),
 ('permit_events',  9, 'old_valid_to',       '原有效期止',   'Former valid to', 'date', '', 0, '', '', '', '', 0, -1, ''),
 ('permit_events', 10, 'new_valid_from',     '新有效期起',   'New valid from', 'date', '', 0, '', '', '', '', 0, -1, ''),
 ('permit_events', 11, 'new_valid_to',       '新有效期止',   'New valid to',   'date', '', 0, '', '', '', '', 0, -1, ''),
 ('permit_events', 12, 'old_area',           '原面积',       'Former area',    'dec',  '平方公里', 0, '', '', '', '', 0, 4, '>0'),
 ('permit_events', 13, 'new_area',           '新面积',       'New area',       'dec',  '平方公里', 0, '', '', '', '', 0, 4, '>0'),
 ('permit_events', 14, 'old_holder',         '原矿业权人',   'Former holder',  'text', '', 0, '', '', '', '', 0, -1, ''),
 ('permit_events', 15, 'new_holder',         '新矿业权人',   'New holder',     'text', '', 0, '', '', '', '', 0, -1, ''),
 ('permit_events', 16, 'changes',            '变更内容',     'Changes',        'text', '', 0, '', '', '', '', 0, -1, ''),
 ('permit_events', 17, 'note',               '备注',         'Note',           'text', '', 0, '', '', '', '', 0, -1, ''),

 ('exploration_permits', 15, 'credit_code',      '统一社会信用代码', 'Credit code',      'text', '', 0, '', '^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$', '', '', 0, -1, ''),
 ('exploration_permits', 16, 'surveyor',         '勘查单位',     'Surveying unit',     'text', '', 0, '', '', '', '', 0, -1, ''),
 ('exploration_permits', 17, 'project_nature',   '项目性质',     'Project nature',     'text', '', 0, '', '', '', '', 0, -1, ''),
 ('exploration_permits', 18, 'grant_method',     '出让方式',     'Granted by',         'text', '', 0, '招标|拍卖|挂牌|协议|申请在先|其他', '', '', '', 0, -1, ''),
 ('exploration_permits', 19, 'reg_type',         '登记类型',     'Registration type',  'text', '', 0, '新立|延续|变更|保留|注销', '', '', '', 0, -1, ''),
 ('exploration_permits', 20, 'issuer_name',      '发证机关名称', 'Issuing authority',  'text', '', 0, '', '', '', '', 0, -1, ''),
 ('exploration_permits', 21, 'issue_date',       '发证日期',     'Issued on',          'date', '', 0, '', '', '', '', 0, -1, ''),
 ('exploration_permits', 22, 'first_issue_date', '首次发证日期', 'First issued on',    'date', '', 0, '', '', '', '', 0, -1, ''),
 ('exploration_permits', 23, 'first_area',       '首次登记面积', 'First area',         'dec',  '平方公里', 0, '', '', '', '', 0, 4, '>0'),

 ('mining_permits', 21, 'credit_code',      '统一社会信用代码', 'Credit code',      'text', '', 0, '', '^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$', '', '', 0, -1, ''),
 ('mining_permits', 22, 'econ_type',        '经济类型',     'Economic type',      'text', '', 0, '', '', '', '', 0, -1, ''),
 ('mining_permits', 23, 'grant_method',     '出让方式',     'Granted by',         'text', '', 0, '招标|拍卖|挂牌|协议|申请在先|其他', '', '', '', 0, -1, ''),
 ('mining_permits', 24, 'reg_type',         '登记类型',     'Registration type',  'text', '', 0, '新立|延续|变更|保留|注销', '', '', '', 0, -1, ''),
 ('mining_permits', 25, 'issuer_name',      '发证机关名称', 'Issuing authority',  'text', '', 0, '', '', '', '', 0, -1, ''),
 ('mining_permits', 26, 'issue_date',       '发证日期',     'Issued on',          'date', '', 0, '', '', '', '', 0, -1, ''),
 ('mining_permits', 27, 'first_issue_date', '首次发证日期', 'First issued on',    'date', '', 0, '', '', '', '', 0, -1, ''),
 ('mining_permits', 28, 'first_area',       '首次登记面积', 'First area',         'dec',  '平方公里', 0, '', '', '', '', 0, 4, '>0'),
 ('mining_permits', 29, 'service_years',    '服务年限',     'Service years',      'dec',  '年', 0, '', '', '', '', 0, -1, '>0');

INSERT INTO minreg_roles (tbl, col, role) VALUES
 ('exploration_permits', 'permit_no', 'number'), ('exploration_permits', 'holder', 'holder'),
 ('exploration_permits', 'valid_from', 'start'), ('exploration_permits', 'valid_to', 'expiry'),
 ('exploration_permits', 'area_km2', 'area'), ('exploration_permits', 'reg_type', 'regtype'),
 ('exploration_permits', 'district', 'district'), ('exploration_permits', 'credit_code', 'credit'),
 ('mining_permits', 'permit_no', 'number'), ('mining_permits', 'holder', 'holder'),
 ('mining_permits', 'valid_from', 'start'), ('mining_permits', 'valid_to', 'expiry'),
 ('mining_permits', 'area_km2', 'area'), ('mining_permits', 'reg_type', 'regtype'),
 ('mining_permits', 'status', 'status'), ('mining_permits', 'district', 'district'),
 ('mining_permits', 'credit_code', 'credit'),
 ('permit_events', 'type', 'event_type'), ('permit_events', 'date', 'event_date'),
 ('permit_events', 'doc', 'event_doc'), ('permit_events', 'note', 'event_note'),
 ('permit_events', 'changes', 'event_changes'),
 ('permit_events', 'exploration_permit', 'event_of'), ('permit_events', 'mining_permit', 'event_of'),
 ('permit_events', 'old_no', 'was:number'), ('permit_events', 'new_no', 'now:number'),
 ('permit_events', 'old_valid_to', 'was:expiry'), ('permit_events', 'new_valid_from', 'now:start'),
 ('permit_events', 'new_valid_to', 'now:expiry'), ('permit_events', 'old_area', 'was:area'),
 ('permit_events', 'new_area', 'now:area'), ('permit_events', 'old_holder', 'was:holder'),
 ('permit_events', 'new_holder', 'now:holder'),
 -- the first-issued area, kept (a 新立 or the first extension fills it);
 -- cut:N, an exploration 延续 cuts the area by N% of it (weak evidence:
 -- one secondary source, DOMAIN.md; a warning only)
 ('exploration_permits', 'first_area', 'first_area'), ('exploration_permits', 'first_area', 'cut:25'),
 ('mining_permits', 'first_area', 'first_area'),
 -- the planning blocks' 投放 years (report yearly: the blocks due for release)
 ('exploration_blocks', 'year_from', 'release_from'), ('exploration_blocks', 'year_to', 'release_to'),
 ('mining_blocks', 'year_from', 'release_from'), ('mining_blocks', 'year_to', 'release_to'),
 ('exploration_blocks', 'district', 'district'), ('mining_blocks', 'district', 'district');
INSERT INTO minreg_roles (tbl, col, role)
 SELECT tbl, id, 'appended' FROM minreg_columns
  WHERE (tbl = 'exploration_permits' AND ord >= 15) OR (tbl = 'mining_permits' AND ord >= 21);
-- END life ------------------------------------------------------------------

------------------------------------------------------------------------------
-- Totals the plan's text states
------------------------------------------------------------------------------
-- tbl, measure, col, where_col, where_val, value, unit, source, note
INSERT INTO minreg_totals VALUES
 ('national_areas',      'count', '',         '', '', 2,         '个',       '第四章第三节', '2 个国家规划矿区'),
 ('national_areas',      'sum',   'area_km2', '', '', 749.3,     '平方公里', '第四章第三节', '总面积 749.3 平方公里（专栏二两行之和为 955.7575）'),
 ('exploration_areas',   'count', '',         '', '', 13,        '个',       '第五章第三节', '划定 13 个重点勘查区'),
 ('exploration_areas',   'sum',   'area_km2', '', '', 3548.4861, '平方公里', '第五章第三节', '总面积 3548.4861 平方公里'),
 ('exploration_blocks',  'count', '',         '', '', 51,        '个',       '第五章第四节', '勘查规划区块 51 个'),
 ('exploration_blocks',  'count', '',         'authority', '市级', 41, '个',   '第五章第四节', '市级出让登记管理权限矿种 41 个（省级以上 10 个）'),
 ('exploration_blocks',  'sum',   'area_km2', '', '', 146.6364,  '平方公里', '第五章第四节', '总面积 146.6364 平方公里'),
 ('block_summary',       'sum',   'block_count', '', '', 51,     '个',       '第五章第四节', '各类别区块数量之和应为 51'),
 ('block_summary',       'sum',   'area_km2', '', '', 146.6364,  '平方公里', '第五章第四节', '各类别区块面积之和应为 146.6364'),
 ('mining_areas',        'count', '',         '', '', 2,         '个',       '第六章第三节', '落实 2 个省级重点开采区'),
 ('mining_areas',        'sum',   'area_km2', '', '', 284.1107,  '平方公里', '第六章第三节', '总面积 284.1107 平方公里'),
 ('min_scales',          'count', '',         '', '', 26,        '个',       '专栏六',       '26 个重点矿种'),
 ('sand_areas',          'count', '',         '', '', 21,        '个',       '专栏八',       '21 个集中开采区'),
 ('indicators',          'count', '',         '', '', 15,        '项',       '专栏一',       '15 项主要规划指标'),
 ('quotas',              'sum',   'amount',   'mineral', '铁矿',   0.026, '矿石，亿吨（62%）', '第六章第一节', '开采控制量合计（专栏一为 0.02）'),
 ('quotas',              'sum',   'amount',   'mineral', '菱镁矿', 31,    '矿石，万吨',        '第六章第一节', '开采控制量合计'),
 ('quotas',              'sum',   'amount',   'mineral', '硼矿',   450,   '矿石，万吨',        '第六章第一节', '开采控制量合计'),
 ('quotas',              'sum',   'amount',   'mineral', '滑石',   58,    '矿石，万吨',        '第六章第一节', '开采控制量合计'),
 ('mining_permits',      'count', '',         '', '', 330,       '个',       '第一章第一节', '全市非油气矿山总数 330 个（规划基期）'),
 ('mining_permits',      'sum',   'area_km2', '', '', 146.0891,  '平方公里', '第一章第一节', '登记总面积 146.0891 平方公里'),
 ('mining_permits',      'count', '',         'size_class', '大型', 9,   '个', '第一章第一节', '大型矿山 9 家'),
 ('mining_permits',      'count', '',         'size_class', '中型', 25,  '个', '第一章第一节', '中型矿山 25 家'),
 ('mining_permits',      'count', '',         'size_class', '小型', 296, '个', '第一章第一节', '小型及以下 296 家'),
 ('mining_permits',      'count', '',         'district', '元宝区', 1,   '个', '第八章第一节', '元宝区采矿权 1 处'),
 ('mining_permits',      'count', '',         'district', '振安区', 9,   '个', '第八章第三节', '振安区采矿权 9 处'),
 ('exploration_permits', 'count', '',         '', '', 269,       '个',       '第一章第一节', '全市非油气探矿权 269 个'),
 ('exploration_permits', 'sum',   'area_km2', '', '', 1557.5664, '平方公里', '第一章第一节', '登记总面积 1557.5664 平方公里'),
 ('exploration_permits', 'count', '',         'district', '元宝区', 1,   '个', '第八章第一节', '元宝区探矿权 1 处'),
 ('exploration_permits', 'count', '',         'district', '振兴区', 3,   '个', '第八章第二节', '振兴区探矿权 3 处'),
 ('exploration_permits', 'count', '',         'district', '振安区', 6,   '个', '第八章第三节', '振安区探矿权 6 处'),
 ('districts',           'count', '',         '', '', 7,         '个',       'GB/T 2260',    '丹东市及所辖 6 个县级行政区');

-- BEGIN rep
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
-- END rep
-- BEGIN geo
-- Boundaries (拐点坐标, issue 17).  Which registers' records can hold one is
-- data, not C: a row here per register (kind: permit, block or area).  A
-- record's boundary is the canonical text of src/core/boundary.c, kept in
-- minreg_shapes beside its rings (top and bottom elevations, excluded
-- rings), its system and zone and its official area; minreg_shape_box is
-- the R*Tree of bounding boxes in geodetic degrees (both zones in one
-- system).  Set only through the change object, which audits the text as
-- field '@boundary' of the record (undo and redo put it back; verify checks
-- each shape against its last audited text).  Register rows are unchanged,
-- so their sums are too.
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
-- END geo
-- BEGIN georules
-- Schema 7 (data/migrate/v7-georules.sql): the roles the spatial rules of
-- `check` give registers (src/core/geo_rules.c; no C per register), and the
-- restriction layers a bureau imports (`minreg layer import`).
--
-- minreg_geo_roles: role 'area' — col is the registered 面积 (km²) the
-- official area of the record's boundary is compared with; 'key_area' —
-- the register's rows are 市级以上 key areas (a city plan lists only the
-- key areas set at city level or above: 国家级 and 省级 marked in their
-- names, the others the city's own); 'sand_area' — 砂石土类 集中开采区;
-- 'sand_permit' — a permit is a 砂石土类 permit when an item of col
-- matches pattern (a PCRE2 pattern; '' any row); 'new' — a permit is new
-- (新立) when col matches pattern.  Which permit lies in which block and
-- which block in which key area comes from the links of minreg_columns
-- (a column of a 'permit' register linking to a 'block' register, and so
-- on), the holder from minreg_roles' 'holder'.
CREATE TABLE minreg_geo_roles (
    tbl     TEXT NOT NULL REFERENCES minreg_boundary_tables(tbl),
    role    TEXT NOT NULL CHECK (role IN ('area','key_area','sand_area','sand_permit','new')),
    col     TEXT NOT NULL DEFAULT '',
    pattern TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tbl, role)
);
INSERT INTO minreg_geo_roles VALUES
 ('national_areas', 'area', 'area_km2', ''), ('exploration_areas', 'area', 'area_km2', ''),
 ('mining_areas', 'area', 'area_km2', ''), ('sand_areas', 'area', 'area_km2', ''),
 ('exploration_blocks', 'area', 'area_km2', ''), ('mining_blocks', 'area', 'area_km2', ''),
 ('exploration_permits', 'area', 'area_km2', ''), ('mining_permits', 'area', 'area_km2', ''),
 ('exploration_areas', 'key_area', '', ''), ('mining_areas', 'key_area', '', ''),
 ('sand_areas', 'sand_area', '', ''),
 ('mining_permits', 'sand_permit', 'minerals', '^(建筑用|建筑石料用|砖瓦用)'),
 ('mining_permits', 'new', 'reg_type', '^新立$');
-- The safe distance (metres) a 集中开采区 keeps from non-sand mineral
-- rights (第六章第六节).  The plan names no figure; 300 m unless the
-- bureau sets another (`minreg layer distance METRES`).
INSERT INTO minreg_meta VALUES ('geo_sand_distance_m', '300');
-- Restriction layers (生态保护红线, 永久基本农田, 城镇开发边界, other no-go
-- zones): each feature's boundary in the canonical text of boundary.c
-- (CGCS2000 geodetic or GK3 with the zone prefix), its bounding box in the
-- R*Tree minreg_layer_box (geodetic degrees).  An import is one
-- transaction and records who imported which file (its SHA-256) and when.
CREATE TABLE minreg_layers (
    name        TEXT PRIMARY KEY,
    format      TEXT NOT NULL,       -- geojson, gpkg, shp
    crs         TEXT NOT NULL,       -- EPSG:4490, EPSG:4529, …
    source      TEXT NOT NULL,       -- the file as named
    sha256      TEXT NOT NULL,
    features    INTEGER NOT NULL,
    imported_at TEXT NOT NULL,       -- UTC, ISO 8601
    imported_by TEXT NOT NULL
);
CREATE TABLE minreg_layer_features (
    id       INTEGER PRIMARY KEY,
    layer    TEXT NOT NULL REFERENCES minreg_layers(name),
    fid      INTEGER NOT NULL,       -- the feature's place in the file, from 1
    label    TEXT NOT NULL DEFAULT '',  -- its name (a name/名称 attribute), or ''
    area_km2 REAL,                   -- the official area
    text     TEXT NOT NULL
);
CREATE INDEX minreg_layer_features_layer ON minreg_layer_features(layer, fid);
CREATE VIRTUAL TABLE minreg_layer_box USING rtree(id, min_lon, max_lon, min_lat, max_lat);
-- END georules
