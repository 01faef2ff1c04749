-- Schema 4 -> 5, after db_migrate's to_v5 (src/core/db_migrate.c) has made
-- minreg_fsums, the field bytes beside the row sums, with its index and
-- guards, from data/schema.sql's own DDL.  Nothing is left for plain SQL.
SELECT 1;
