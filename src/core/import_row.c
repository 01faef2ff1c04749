/* import_row.c — one record of an import: checked (ahead, on the reading
 * thread, where no database is needed; then against the register), written
 * through the change, or refused with its reasons; and the links a file's
 * rows make to each other, checked once every row is in.  Shared with
 * import.c through import_int.h. */
#include "config.h"
#include "import_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "i18n.h"
#include "life.h"
#include "normalise.h"

/* ---- writing a row ---------------------------------------------------------- */

/* The stored row (for --upsert) into im->cur. */
static int load_current(importer *im, int64_t rowid)
{
    const table *t = im->t;
    cursor *c = db_select_rowid(im->d, t, rowid, im->e);
    if (!c || cursor_next(c) != 1) {
        cursor_free(c);
        return -1;
    }
    for (int i = 0; i < t->ncols; i++) {
        free(im->cur[i]);
        const char *v = cursor_val(c, i);
        im->cur[i] = v ? xstrdup(v) : NULL;
    }
    cursor_free(c);
    return 0;
}

/* A UNIQUE constraint over several columns (quotas: mineral + county) is
 * the one rule the validator leaves to SQLite; name it by labels. */
static void constraint_issue(importer *im, vissue *x)
{
    const char *m = im->e->msg, *p = strstr(m, "UNIQUE constraint failed: ");
    x->ci = -1;
    x->kind = VI_UNIQUE;
    if (!p) {   /* NOT NULL and the like: SQLite's words, without the file name */
        const char *colon = strstr(m, ": ");
        snprintf(x->msg, sizeof x->msg, "%.500s", colon ? colon + 2 : m);
        return;
    }
    buf b = BUF_INIT;
    char *cols = xstrdup(p + strlen("UNIQUE constraint failed: ")), *save = NULL;
    for (char *c = strtok_r(cols, ", ", &save); c; c = strtok_r(NULL, ", ", &save)) {
        const char *dot = strchr(c, '.');
        int ci = table_col(im->t, dot ? dot + 1 : c);
        buf_printf(&b, "%s%s", b.len ? " + " : "", ci >= 0 ? im->t->cols[ci].label : c);
    }
    snprintf(x->msg, sizeof x->msg, _("%s: this combination is already used by another row"),
             buf_str(&b));
    free(cols);
    buf_free(&b);
}

/* Insert or update the checked row; 1 written, 0 a constraint broke (x
 * says which), -1 an error. */
static int write_row(importer *im, int64_t self, long line, vissue *x)
{
    const table *t = im->t;
    import_result *r = im->r;
    if (self < 0 && im->events) {
        /* a registration event: applied to its permit as `minreg event`
         * records it, in the import's change; refused, it is a bad row */
        edit_result er;
        int rc = life_event_row(im->d, im->w, im->vals, NULL, &er, &im->r->warnings, im->e);
        if (rc == EDIT_OK) {
            r->added++;
            r->events_applied++;
        } else if (rc == EDIT_INVALID || rc == EDIT_REFUSED) {
            memset(x, 0, sizeof *x);
            x->ci = rc == EDIT_INVALID && er.nissues ? -1 : table_role(t, "event_type");
            const char *m = rc == EDIT_INVALID && er.nissues ? er.issues[0].msg : im->e->msg;
            size_t n = strlen(m) < sizeof x->msg ? strlen(m) : sizeof x->msg - 1;
            memcpy(x->msg, m, n);
            x->msg[n] = 0;
            if (x->ci < 0)
                x->ci = table_role(t, "event_type");
            err_clear(im->e);
        }
        edit_result_free(&er);
        return rc == EDIT_OK ? 1 : rc == EDIT_INVALID || rc == EDIT_REFUSED ? 0 : -1;
    }
    if (self < 0) {
        int64_t rowid;
        if (chg_insert_bulk(im->w, t, im->vals, &rowid, im->e) < 0) {
            if (!db_last_was_constraint(im->d))
                return -1;
            constraint_issue(im, x);
            err_clear(im->e);
            return 0;
        }
        if (im->o->mode == IMPORT_UPSERT && db_added_note(im->d, rowid, 1, im->e) < 0)
            return -1;
        r->added++;
        for (int ci = 0; im->self_links && ci < t->ncols; ci++) {
            const column *c = &t->cols[ci];
            const char *v = im->vals[ci];
            if (c->link_ti < 0 || &db_schema(im->d)->tables[c->link_ti] != t || !v || !*v)
                continue;
            if (im->nsl == im->capsl) {
                im->capsl = im->capsl ? im->capsl * 2 : 64;
                im->sl = xrealloc(im->sl, sizeof *im->sl * (size_t)im->capsl);
            }
            im->sl[im->nsl++] = (selflink){line, rowid, ci, xstrdup(v), 0};
        }
        return 1;
    }
    int changed = 0;
    const char *key = im->cur[t->key_ci];
    for (int ci = 0; ci < t->ncols; ci++) {
        if (value_same(&t->cols[ci], im->vals[ci], im->cur[ci]))
            continue;
        const char *nv = im->vals[ci] && *im->vals[ci] ? im->vals[ci] : NULL;
        if (chg_update(im->w, t, self, key, ci, im->cur[ci], nv, im->e) < 0) {
            if (!db_last_was_constraint(im->d))
                return -1;
            constraint_issue(im, x);
            err_clear(im->e);
            return 0;
        }
        changed = 1;
    }
    if (changed)
        r->updated++;
    else
        r->unchanged++;
    /* noted, so a later line with the same key is seen as a repeat */
    return db_added_note(im->d, self, 0, im->e) < 0 ? -1 : 1;
}

/* Only missing links to rows of this same register, which may come later
 * in the file?  Those are checked again at the end. */
static int only_self_links(importer *im, const vissue *iss, int n)
{
    const schema *s = db_schema(im->d);
    for (int i = 0; i < n; i++) {
        const column *c = &im->t->cols[iss[i].ci];
        if (iss[i].kind != VI_LINK || c->link_ti < 0 || &s->tables[c->link_ti] != im->t)
            return 0;
    }
    return n > 0;
}

/* ---- one record ------------------------------------------------------------ */

int import_all_empty(char **f, int nf)
{
    for (int i = 0; i < nf; i++)
        if (f[i][0])
            return 0;
    return 1;
}

/* On the read-ahead thread: does a new row pass every check that needs no
 * database?  Then import_do_row need not check it again (1); else it checks it
 * as usual (0).  Reads only what does not change during the import. */
int import_ahead_check(void *arg, char **f, int nf)
{
    importer *im = arg;
    if (nf != im->nh || import_all_empty(f, nf))
        return 0;
    for (int ci = 0; ci < im->t->ncols; ci++)
        im->va_vals[ci] = NULL;
    for (int i = 0; i < nf; i++) {
        if (im->map[i] >= 0)
            im->va_vals[im->map[i]] = f[i];
        else if (f[i][0] && i != im->reason_field)
            return 0;
    }
    return validator_clean(im->va, im->va_vals);
}

/* --upsert: a new row needs every required column, which a file updating
 * only some columns may not have; say so, rather than "is required". */
static void new_row_lacks(importer *im, vissue *iss, int n)
{
    for (int i = 0; i < n; i++) {
        if (iss[i].kind != VI_REQUIRED || iss[i].ci < 0 || im->colpos[iss[i].ci] >= 0)
            continue;
        buf h = BUF_INIT;
        col_header(&im->t->cols[iss[i].ci], &h);
        snprintf(iss[i].msg, sizeof iss[i].msg,
                 _("%s: is required, and the file has no such column: a row the file adds "
                   "(its key is not in the register) needs it"), buf_str(&h));
        buf_free(&h);
    }
}

int import_do_row(importer *im, char **f, int nf, long line, int clean)
{
    const table *t = im->t;
    vissue iss[ROW_ISSUES];
    char msg[256];
    im->r->rows++;
    for (int ci = 0; ci < t->ncols; ci++)
        im->vals[ci] = NULL;
    if (nf != im->nh) {
        /* a workbook's row is as wide as its header but for values right of
         * it (its reader drops the empty cells there): name the first */
        int extra = -1;
        for (int i = im->nh; im->r->sheet && i < nf && extra < 0; i++)
            if (f[i][0])
                extra = i;
        if (extra >= 0)
            snprintf(msg, sizeof msg, _("a value right of the header's last column ('%.60s')"), f[extra]);
        else
            snprintf(msg, sizeof msg, _("%d fields, but the header has %d"), nf, im->nh);
        import_bad_row(im, f, nf, line, NULL, 0, msg, extra);
        return 0;
    }
    for (int i = 0; i < nf; i++) {
        if (im->map[i] >= 0) {
            im->vals[im->map[i]] = f[i];
        } else if (f[i][0] && i != im->reason_field) {
            snprintf(msg, sizeof msg, _("field %d has a value but no column name in the header"), i + 1);
            import_bad_row(im, f, nf, line, NULL, 0, msg, i);
            return 0;
        }
    }
    /* the Excel habits (2019/5/1, trailing blanks, full-width digits) undone
     * and counted, or with --strict refused */
    int habits = 0;
    for (int ci = 0; ci < t->ncols; ci++) {
        unsigned kinds = 0;
        if (!im->vals[ci] || !im->vals[ci][0] || !norm_cell(t, ci, im->vals[ci], &im->norm[ci], &kinds))
            continue;
        if (im->o->strict) {
            vissue *x = &iss[habits < ROW_ISSUES ? habits : ROW_ISSUES - 1];
            buf h = BUF_INIT;
            col_header(&t->cols[ci], &h);
            x->ci = ci;
            x->kind = VI_TYPE;
            snprintf(x->msg, sizeof x->msg, _("%s: '%s' is written the Excel way (the register's "
                                              "form is '%s'): --strict refuses it"),
                     buf_str(&h), im->vals[ci], buf_str(&im->norm[ci]));
            buf_free(&h);
            habits++;
            continue;
        }
        for (int k = 0; k < NORM_KINDS; k++)
            if (kinds & (1u << k))
                im->r->norm[k]++;
        im->vals[ci] = buf_str(&im->norm[ci]);
        clean = 0;   /* checked ahead as it was written: again as it is now */
    }
    if (habits) {
        import_bad_row(im, f, nf, line, iss, habits < ROW_ISSUES ? habits : ROW_ISSUES, NULL, -1);
        return 0;
    }
    /* numbers as the register keeps them: "+1" over 1 is no change */
    for (int ci = 0; ci < t->ncols; ci++)
        if (im->vals[ci] && im->numeric[ci])
            im->vals[ci] = value_normal(&t->cols[ci], im->vals[ci], im->num[ci]);
    int64_t self = -1;
    const char *key = im->vals[t->key_ci];
    int found = im->o->mode == IMPORT_UPSERT && key && *key
                    ? db_find_by(im->d, t, t->key_ci, key, &self, im->e) : DB_NOT_FOUND;
    if (found == DB_ERROR)
        return -1;   /* a lookup failed: the import stops */
    if (found == DB_FOUND) {
        int again = db_added_has(im->d, self, im->e);
        if (again == DB_ERROR)
            return -1;
        if (again == DB_FOUND) {   /* which of the two lines should win? */
            buf h = BUF_INIT;
            col_header(&t->cols[t->key_ci], &h);
            vissue x = {.ci = t->key_ci, .kind = 0};   /* not VI_UNIQUE: explain_unique would reword it */
            snprintf(x.msg, sizeof x.msg, _("%s: '%s' is on an earlier line of this file too"),
                     buf_str(&h), key);
            buf_free(&h);
            import_bad_row(im, f, nf, line, &x, 1, NULL, -1);
            return 0;
        }
        if (load_current(im, self) < 0)
            return -1;
        for (int ci = 0; ci < t->ncols; ci++)
            if (im->colpos[ci] < 0)
                im->vals[ci] = im->cur[ci];   /* columns the file does not have stay */
    }
    /* checked ahead (a new row): only a used value is left, to the insert */
    int n = clean && self < 0 && im->o->mode != IMPORT_UPSERT
                ? 0 : validator_row(im->v, im->vals, self, iss, ROW_ISSUES);
    if (n < 0)
        return validator_error(im->v, im->e);   /* a lookup failed: the import stops */
    if (n > 0 && !(im->self_links && self < 0 && only_self_links(im, iss, n < ROW_ISSUES ? n : ROW_ISSUES))) {
        if (self < 0 && im->o->mode == IMPORT_UPSERT)
            new_row_lacks(im, iss, n < ROW_ISSUES ? n : ROW_ISSUES);
        import_bad_row(im, f, nf, line, iss, n, NULL, -1);
        return 0;
    }
    /* a county's register: only the county's own rows (site.h) */
    if (im->site.county && !(site_owns(im->d, &im->site, t, im->vals) &&
                             (self < 0 || site_owns_rid(im->d, &im->site, t, self)))) {
        vissue x = {.ci = site_column(im->d, t), .kind = 0};
        site_why(im->d, &im->site, t, x.msg, sizeof x.msg);
        import_bad_row(im, f, nf, line, &x, 1, NULL, -1);
        return 0;
    }
    int w = write_row(im, self, line, &iss[0]);
    if (w == 0 && self < 0) {   /* a value already used: the validator says which, as usual */
        validator_defer_unique(im->v, 0);
        int k = validator_row(im->v, im->vals, self, iss, ROW_ISSUES);
        validator_defer_unique(im->v, 1);
        if (k < 0)
            return validator_error(im->v, im->e);
        if (k > 0) {
            import_bad_row(im, f, nf, line, iss, k, NULL, -1);
            return 0;
        }
    }
    if (w == 0)
        import_bad_row(im, f, nf, line, iss, 1, NULL, -1);
    return w < 0 ? -1 : 0;
}

/* Links to rows of the same register, now that every row is in.  A row
 * rejected here (with a rejects file) is deleted again, which can strand
 * rows linking to it: repeat until nothing changes. */
int import_check_self_links(importer *im)
{
    const table *t = im->t;
    int again = 1;
    while (again) {
        again = 0;
        for (int i = 0; i < im->nsl; i++) {
            selflink *x = &im->sl[i];
            const column *c = &t->cols[x->ci];
            if (x->dead)
                continue;
            int bad = validator_value(im->v, x->ci, x->value, &(vissue){0});
            if (bad < 0)
                return validator_error(im->v, im->e);
            if (bad == 0)
                continue;
            char msg[512];
            buf h = BUF_INIT;
            col_header(c, &h);
            snprintf(msg, sizeof msg, _("%s: '%s' is not in %s, nor anywhere in the file"),
                     buf_str(&h), x->value, t->id);
            buf_free(&h);
            import_problem(im, x->line, x->ci, x->value, msg);
            im->r->bad_rows++;
            if (!im->rej)
                continue;
            /* put the row in the rejects file from what was stored, then take it out */
            if (load_current(im, x->rowid) < 0)
                return -1;
            buf_reset(&im->reason);
            if (im->r->sheet) {
                import_where(im->r, x->line, im->colpos ? im->colpos[x->ci] : -1, &im->reason);
                buf_puts(&im->reason, ": ");
            } else {
                buf_printf(&im->reason, _("line %ld: "), x->line);
            }
            buf_puts(&im->reason, msg);
            for (int k = 0; k < im->nh; k++)
                if (k != im->reason_field)
                    rejw_field(im->rej, im->map[k] >= 0 ? im->cur[im->map[k]] : NULL);
            rejw_field(im->rej, buf_str(&im->reason));
            rejw_end(im->rej);
            /* not audited yet (the change audits its added rows at commit) */
            if (chg_unadd(im->w, t, x->rowid, im->e) < 0)
                return -1;
            im->r->added--;
            for (int k = 0; k < im->nsl; k++)
                if (im->sl[k].rowid == x->rowid)
                    im->sl[k].dead = 1;
            again = 1;
        }
    }
    return 0;
}
