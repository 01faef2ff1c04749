-- Schema 3 -> 4, after db_migrate's to_v4 (src/core/db_migrate.c) has made
-- minreg_changes again from data/schema.sql (its kinds now include 'seal')
-- and made the chained history's tables, minreg_chain and minreg_sums, with
-- their guards, each from schema.sql's own DDL.  Nothing is left for plain
-- SQL: the first write-open then seals the history (src/core/db_chain.c).
SELECT 1;
