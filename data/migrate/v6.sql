-- Schema 5 -> 6 (the life of a permit), after db_migrate's to_v6
-- (src/core/db_migrate.c) has made permit_events, minreg_roles and
-- minreg_event_types from data/schema.sql's own DDL, appended the permit
-- registers' new columns and copied the metadata rows the file lacked.
-- Nothing is left for plain SQL.
SELECT 1;
