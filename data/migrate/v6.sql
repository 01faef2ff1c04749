-- Schema 5 -> 6, after db_migrate's to_v6 (src/core/db_migrate.c) has made
-- the exchange tables (minreg_site, minreg_partners, minreg_xchg_origin,
-- minreg_xchg_conflicts) with their index and guards, from data/schema.sql's
-- own DDL.  Nothing is left for plain SQL.
SELECT 1;
