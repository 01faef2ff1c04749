-- Schema 1 -> 2: imports record the rows they add as runs of row ids
-- (minreg_audit_added) rather than one audit row each.  Run by db_migrate
-- (src/core/db_migrate.c) inside the migration's transaction; the same
-- objects as data/schema.sql makes for a new register.
CREATE TABLE minreg_audit_added (
 change_id INTEGER NOT NULL REFERENCES minreg_changes(id), tbl TEXT NOT NULL,
 first_row INTEGER NOT NULL, last_row INTEGER NOT NULL, CHECK (last_row >= first_row));
 CREATE INDEX minreg_audit_added_change ON minreg_audit_added(change_id);
 CREATE INDEX minreg_audit_added_row ON minreg_audit_added(tbl, first_row);
 CREATE TRIGGER minreg_audit_added_no_update BEFORE UPDATE ON minreg_audit_added
 BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
 CREATE TRIGGER minreg_audit_added_no_delete BEFORE DELETE ON minreg_audit_added
 BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
