-- Schema 2 -> 3, after db_migrate's to_v3 (src/core/db_migrate.c) has
-- rebuilt every register with its identity column rid from data/schema.sql's
-- own DDL (that part is generic over the registers a file has, so it is C
-- that reads the DDL, not DDL copied into C).  What is left is plain SQL:
-- a row number that was the rowid is now a bounded value like any other.
UPDATE minreg_columns SET range = '1..999999999'
 WHERE range = '' AND type = 'int' AND (tbl, id) IN
 (SELECT id, key_col FROM minreg_tables);
