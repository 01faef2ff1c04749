-- Schema 5 -> 6: boundaries (issue 17): the tables of data/schema.sql's geo block.
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
