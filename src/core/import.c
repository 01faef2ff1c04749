/* import.c — CSV rows into a register as one audited change (see import.h). */
#include "config.h"
#include "import_int.h"
#include "life.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "edit.h"
#include "i18n.h"
#include "normalise.h"
#include "wbin.h"

#define PROGRESS_EVERY 4096
#define VALUE_SHOWN 80           /* bytes of a value quoted in a report */
#define IMPORT_CACHE_KB 16384

static const char *const mode_names[] = {"append", "replace", "upsert"};

void import_result_free(import_result *r)
{
    for (int i = 0; i < r->nissues; i++) {
        free(r->issues[i].value);
        free(r->issues[i].msg);
    }
    free(r->issues);
    r->issues = NULL;
    r->nissues = 0;
    free(r->sheet);
    r->sheet = NULL;
    buf_free(&r->warnings);
}

/* s cut to at most VALUE_SHOWN bytes on a character boundary, marked "…". */
static char *shorten(const char *s)
{
    size_t n = strlen(s);
    if (n <= VALUE_SHOWN)
        return xstrdup(s);
    n = VALUE_SHOWN;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    buf b = BUF_INIT;
    buf_add(&b, s, n);
    buf_puts(&b, "…");
    return buf_steal(&b);
}

void import_problem(importer *im, long line, int ci, const char *value, const char *msg)
{
    import_result *r = im->r;
    r->nproblems++;
    int max = im->o->max_issues > 0 ? im->o->max_issues : IMPORT_MAX_ISSUES;
    if (r->nissues >= max)
        return;
    if (!r->issues)
        r->issues = xcalloc((size_t)max, sizeof *r->issues);
    import_issue *x = &r->issues[r->nissues++];
    x->line = line;
    x->ci = ci;
    x->field = ci >= 0 && im->colpos ? im->colpos[ci] : -1;
    x->value = value && *value ? shorten(value) : NULL;
    x->msg = xstrdup(msg);
}

/* ---- the rejects file ---------------------------------------------------- */

static int rejects_open(importer *im)
{
    const char *path = im->o->rejects;
    struct stat a, b;
    if (stat(path, &a) == 0 && strcmp(im->path, "-") != 0 && stat(im->path, &b) == 0 &&
        a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
        err_set(im->e, EXIT_USAGE, _("%s: the rejects file cannot be the file being imported"), path);
        return -1;
    }
    /* a workbook's rejects are a workbook (rejects.h); a text name for
     * them would hide that */
    int xlsx = rejw_is_xlsx(path, im->r->wb_kind != NULL);
    const char *dot = strrchr(path, '.');
    if (xlsx && im->r->wb_kind && dot &&
        (strcasecmp(dot, ".csv") == 0 || strcasecmp(dot, ".txt") == 0 || strcasecmp(dot, ".tsv") == 0)) {
        err_set(im->e, EXIT_USAGE, _("%s: the rejects of a workbook are written as a workbook: "
                                     "name the rejects file .xlsx"), path);
        return -1;
    }
    /* CSV: UTF-8 with a BOM and CRLF: Excel opens it as it is, and so do we */
    csvw_opts wo = {.delim = csvr_delim(im->rd), .crlf = 1, .bom = 1, .enc = ENC_UTF8,
                    .raw_cells = im->o->csv.raw_cells, .reg = db_path(im->d)};
    im->rej = rejw_open(path, xlsx, im->r->sheet, &wo, im->e);
    if (!im->rej)
        return -1;
    for (int i = 0, k = 0; i < im->nh; i++)
        if (i != im->reason_field) {
            rejw_field(im->rej, im->hdr[i]);
            const column *c = im->map[i] >= 0 ? &im->t->cols[im->map[i]] : NULL;
            rejw_numeric(im->rej, k++, c && (c->type == COL_INT || c->type == COL_DEC));
        }
    rejw_field(im->rej, IMPORT_REASON_COL);
    rejw_end(im->rej);
    return 0;
}

/* One rejected row: its fields as read under the header's columns (a short
 * row padded), then why, always under the reason's header; the fields of a
 * row longer than the header follow the reason, kept but never in its place. */
static void reject_row(importer *im, char **f, int nf)
{
    for (int i = 0; i < im->nh; i++)
        if (i != im->reason_field)
            rejw_field(im->rej, i < nf ? f[i] : NULL);
    rejw_field(im->rej, buf_str(&im->reason));
    for (int i = im->nh; i < nf; i++)
        rejw_field(im->rej, f[i]);
    rejw_end(im->rej);
}

/* A value already used: by a row of the register, or by an earlier row of
 * this same file?  Say which — the fixes differ. */
static void explain_unique(importer *im, vissue *x)
{
    const column *c = &im->t->cols[x->ci];
    const char *val = im->vals[x->ci];
    int64_t rowid;
    if (c->multi || !val || db_find_by(im->d, im->t, x->ci, val, &rowid, NULL) != DB_FOUND)
        return;
    buf h = BUF_INIT;
    col_header(c, &h);
    if (chg_added(im->w, rowid))
        snprintf(x->msg, sizeof x->msg, _("%s: '%s' is already used by an earlier row of this file"),
                 buf_str(&h), val);
    else if (x->ci == im->t->key_ci)
        im->r->key_taken++;
    buf_free(&h);
}

/* A bad row: its problems recorded (and given as the rejects reason).  A
 * problem of the row as a whole (row_msg) is at field msg_field, or -1. */
void import_bad_row(importer *im, char **f, int nf, long line, vissue *iss, int n,
                    const char *row_msg, int msg_field)
{
    im->r->bad_rows++;
    buf_reset(&im->reason);
    /* a workbook's reasons name each cell as Excel does (Sheet1!E5), a
     * text file's the line */
    const char *sheet = im->r->sheet;
    if (sheet && row_msg) {
        import_where(im->r, line, msg_field, &im->reason);
        buf_puts(&im->reason, ": ");
    } else if (!sheet) {
        buf_printf(&im->reason, _("line %ld: "), line);
    }
    if (row_msg) {
        import_problem(im, line, -1, NULL, row_msg);
        if (im->r->nissues && im->r->issues[im->r->nissues - 1].line == line &&
            im->r->issues[im->r->nissues - 1].ci < 0)
            im->r->issues[im->r->nissues - 1].field = msg_field;
        buf_puts(&im->reason, row_msg);
    }
    for (int i = 0; i < n && i < ROW_ISSUES; i++)
        if (iss[i].kind == VI_UNIQUE && iss[i].ci >= 0)
            explain_unique(im, &iss[i]);
    for (int i = 0; i < n; i++) {
        const char *val = i < ROW_ISSUES && iss[i].ci >= 0 ? im->vals[iss[i].ci] : NULL;
        if (i < ROW_ISSUES)
            import_problem(im, line, iss[i].ci, val, iss[i].msg);
        else
            im->r->nproblems++;
        if (i >= ROW_ISSUES)
            continue;
        buf_puts(&im->reason, i || row_msg ? "; " : "");
        if (sheet) {
            int field = iss[i].ci >= 0 && im->colpos ? im->colpos[iss[i].ci] : -1;
            import_where(im->r, line, field, &im->reason);
            buf_puts(&im->reason, ": ");
        }
        buf_puts(&im->reason, iss[i].msg);
    }
    if (im->rej && f)
        reject_row(im, f, nf);
}

/* ---- the import ------------------------------------------------------------ */

static int progress(importer *im)
{
    if (!im->o->progress)
        return 0;
    import_progress p = {im->r->rows, csvr_offset(im->rd), csvr_size(im->rd)};
    if (!im->cancelled && im->o->progress(im->o->progress_arg, &p) == 0)
        return 0;
    im->cancelled = 1;
    err_set(im->e, EXIT_CANCELLED, "%s", _("cancelled: nothing was written"));
    return -1;
}

/* The same, from inside a long statement (replacing a big register, the
 * audit rows at the end): the bar moves and Ctrl-C still works there. */
static int tick(void *arg)
{
    return progress(arg) < 0;
}

/* The reader waits for a pipe (never on the read-ahead thread: a pipe is
 * read on this one): ask the progress callback whether to stop. */
static int read_stop(void *arg)
{
    importer *im = arg;
    import_progress p = {im->r->rows, im->rd ? csvr_offset(im->rd) : 0, -1};
    if (!im->cancelled && im->o->progress(im->o->progress_arg, &p) == 0)
        return 0;
    im->cancelled = 1;
    return 1;
}

/* Does the register link to itself (districts: parent)? */
static int links_itself(db *d, const table *t)
{
    const schema *s = db_schema(d);
    for (int ci = 0; ci < t->ncols; ci++)
        if (t->cols[ci].link_ti >= 0 && &s->tables[t->cols[ci].link_ti] == t)
            return 1;
    return 0;
}

/* The first data row after the header; 0 if there is none. */
static int first_row(importer *im, char ***f, int *nf, long *line)
{
    int got;
    while ((got = csvr_next(im->rd, f, nf, line, im->e)) == 1 && import_all_empty(*f, *nf))
        ;
    return got;
}

static void importer_free(importer *im)
{
    /* first the read-ahead thread stops: it reads the header map and
     * writes va_vals until it is joined */
    csvr_close(im->rd);
    im->rd = NULL;
    for (int i = 0; i < im->nh; i++)
        free(im->hdr[i]);
    free(im->hdr);
    free(im->map);
    free(im->colpos);
    for (int i = 0; im->cur && i < im->t->ncols; i++)
        free(im->cur[i]);
    free(im->cur);
    free(im->vals);
    for (int i = 0; im->norm && i < im->t->ncols; i++)
        buf_free(&im->norm[i]);
    free(im->norm);
    free(im->num);
    free(im->numeric);
    for (int i = 0; i < im->nsl; i++)
        free(im->sl[i].value);
    free(im->sl);
    buf_free(&im->reason);
    validator_free(im->va);
    free(im->va_vals);
    validator_free(im->v);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Reading stopped on an error (a character or a quoted field cut short):
 * if the file changed meanwhile, that is the error to report. */
static void read_failed(importer *im)
{
    mr_err changed = {0};
    if (csvr_unchanged(im->rd, &changed) < 0)
        *im->e = changed;
    else
        im->better = csvr_better_encoding(im->rd);
}

/* Everything after the header, inside the transaction. */
static int load_rows(importer *im, char **f, int nf, long line)
{
    import_result *r = im->r;
    const import_opts *o = im->o;
    buf sum = BUF_INIT;
    buf_printf(&sum, "%s <- %s (%s)", im->t->id, base_name(im->path), mode_names[o->mode]);
    r->change = chg_record(im->w, "import", im->t->id, buf_str(&sum), o->comment, 0, im->e);
    buf_free(&sum);
    if (r->change <= 0)
        return -1;
    if (o->mode == IMPORT_REPLACE &&
        chg_delete_all(im->w, im->t, &r->deleted, im->e) < 0)
        return -1;
    if (o->mode == IMPORT_UPSERT && db_added_begin(im->d, im->e) < 0)
        return -1;
    int got = 1;
    while (got == 1) {
        if (!import_all_empty(f, nf) && import_do_row(im, f, nf, line, !im->va_stale && csvr_mark(im->rd)) < 0)
            return -1;
        if (r->rows % PROGRESS_EVERY == 0 && progress(im) < 0)
            return -1;
        got = csvr_next(im->rd, &f, &nf, &line, im->e);
    }
    if (got < 0) {
        read_failed(im);
        return -1;
    }
    if (progress(im) < 0)
        return -1;
    if (im->nsl && import_check_self_links(im) < 0)
        return -1;
    int64_t broken = 0;
    if ((r->deleted || r->updated) && import_check_links_in(im, &broken) < 0)
        return -1;
    if (broken > 0)
        r->links_broken = 1;
    return 0;
}

/* One pass over the file; *retry: an encoding to read it again in (the
 * start looked like UTF-8, the whole is GB18030), else left alone. */
static int import_run(db *d, const table *t, const char *path, const import_opts *o,
                      text_enc enc, text_enc *retry, import_result *r, mr_err *e)
{
    memset(r, 0, sizeof *r);
    if (db_readonly(d) && db_readonly_reason(d)) {
        err_set(e, db_readonly_exit(d), _("%s is open read-only (%s): nothing was changed"),
                db_path(d), db_readonly_reason(d));
        return IMPORT_ERROR;
    }
    if (db_readonly(d)) {
        err_set(e, EXIT_DB, _("%s is open read-only (-r, or the file is not writable): nothing was changed"),
                db_path(d));
        return IMPORT_ERROR;
    }
    importer im = {.d = d, .t = t, .o = o, .r = r, .e = e, .reason_field = -1};
    im.events = t == life_events(db_schema(d));
    site_rule_self(d, &im.site);
    if (im.events && o->mode != IMPORT_APPEND) {
        err_set(e, EXIT_USAGE, _("%s: events are applied to their permits, so they are only "
                                 "added (not --%s); to take one back, undo its change; "
                                 "`minreg event` records one"),
                t->id, mode_names[o->mode]);
        return IMPORT_ERROR;
    }
    csv_opts co = o->csv;
    if (enc != ENC_AUTO)
        co.enc = enc;
    if (o->progress) {   /* Ctrl-C while a pipe or FIFO keeps us waiting */
        co.stop = read_stop;
        co.stop_arg = &im;
    }
    im.rd = wb_sniff(path) ? import_wb_open(&im, path) : csvr_open(path, &co, e);
    if (!im.rd)
        return IMPORT_ERROR;
    im.path = csvr_path(im.rd);
    char **f;
    int nf, rc = IMPORT_ERROR;
    long line;
    int got = csvr_next(im.rd, &f, &nf, &line, e);
    if (got < 0)
        read_failed(&im);
    if (got == 0)
        err_set(e, EXIT_DATA, _("%s: empty file: no header row"), im.path);
    if (got <= 0 || import_map_header(&im, f, nf, line) < 0)
        goto out;
    r->enc = csvr_encoding(im.rd);
    r->delim = csvr_delim(im.rd);
    /* the rows are read and parsed on a second core while this one checks
     * and writes (not from a pipe: a thread blocked on it would hold up a
     * cancelled import's exit) */
    if (csvr_size(im.rd) >= 0) {
        /* ... and checked there as far as that needs no database */
        if (o->mode != IMPORT_UPSERT) {
            if (db_data_version(d, &im.va_version, NULL) != 0)
                im.va_version = -1;   /* not known: every row is checked again below */
            im.va = validator_new_ahead(d, t);
            im.va_vals = xcalloc((size_t)t->ncols, sizeof(char *));
        }
        csvr_prefetch(im.rd, im.va ? import_ahead_check : NULL, &im);
    }
    got = first_row(&im, &f, &nf, &line);
    if (got < 0)
        read_failed(&im);
    if (got == 0)
        err_set(e, EXIT_DATA, _("%s: a header but no rows: nothing to import"), im.path);
    if (got <= 0)
        goto out;
    if (o->rejects && rejects_open(&im) < 0)
        goto out;
    im.v = validator_new(d, t);
    validator_defer_unique(im.v, 1);
    im.vals = xcalloc((size_t)t->ncols, sizeof(char *));
    im.num = xcalloc((size_t)t->ncols, sizeof *im.num);
    im.norm = xcalloc((size_t)t->ncols, sizeof *im.norm);
    im.numeric = xcalloc((size_t)t->ncols, 1);
    for (int ci = 0; ci < t->ncols; ci++)
        im.numeric[ci] = t->cols[ci].type == COL_INT || t->cols[ci].type == COL_DEC;
    im.cur = xcalloc((size_t)t->ncols, sizeof(char *));
    im.self_links = links_itself(d, t);
    if (!(im.w = chg_begin(d, e)))
        goto out;
    /* the link targets the read-ahead check read before the write began
     * still hold unless another clerk wrote in between (from now on no one
     * can); if one did, every row is checked here again */
    int64_t dv = -1;
    if (im.va && db_data_version(d, &dv, e) != 0)
        goto out;
    im.va_stale = im.va && (im.va_version < 0 || dv != im.va_version);
    db_defer_fks(d);
    /* a bigger page cache for the transaction: a million-row import touches
     * indexes all over, and every page spilled mid-transaction is written
     * to the WAL again; 16 MiB keeps the whole process near 25 MB */
    db_cache_kb(d, IMPORT_CACHE_KB);
    if (o->progress)
        db_ticks(d, tick, &im);
    int loaded = load_rows(&im, f, nf, line);
    db_ticks(d, NULL, NULL);
    db_cache_kb(d, 0);
    if (loaded < 0 && im.cancelled)   /* an interrupted statement said "interrupted" */
        err_set(e, EXIT_CANCELLED, "%s", _("cancelled: nothing was written"));
    if (loaded < 0)
        goto out;   /* rolled back there */
    /* a file cut short or rewritten while it was read (still being copied
     * in, saved again from Excel) was imported in part: not committed */
    if (csvr_unchanged(im.rd, e) < 0)
        goto out;
    int bad = r->bad_rows > 0 || r->links_broken;
    if (o->dry_run || r->links_broken || (bad && !o->rejects) ||
        r->added + r->updated + r->deleted == 0) {
        chg_abort(im.w);   /* a dry run, a failure, or nothing to record */
        im.w = NULL;
        r->change = 0;
    } else if (chg_commit(im.w, e) < 0) {
        im.w = NULL;
        goto out;
    } else {
        im.w = NULL;
        r->written = 1;
    }
    if (im.rej && rejw_close(im.rej, e) < 0) {
        im.rej = NULL;
        goto out;
    }
    im.rej = NULL;
    rc = bad ? IMPORT_INVALID : IMPORT_OK;
out:
    if (rc == IMPORT_ERROR && im.cancelled)   /* also while waiting for a pipe */
        err_set(e, EXIT_CANCELLED, "%s", _("cancelled: nothing was written"));
    else if (rc == IMPORT_ERROR && im.better != ENC_AUTO)
        *retry = im.better;
    if (im.rd)   /* what the whole file turned out to be, not its first lines */
        r->enc = csvr_encoding(im.rd);
    chg_abort(im.w);   /* what was begun and not committed; else nothing */
    if (rc == IMPORT_ERROR)
        r->change = 0;
    rejw_abort(im.rej);
    importer_free(&im);
    return rc;
}

int import_csv(db *d, const table *t, const char *path, const import_opts *o, import_result *r,
               mr_err *e)
{
    text_enc retry = ENC_AUTO;
    int rc = import_run(d, t, path, o, ENC_AUTO, &retry, r, e);
    if (rc != IMPORT_ERROR || retry == ENC_AUTO || strcmp(path, "-") == 0)
        return rc;
    /* nothing was written (the transaction was rolled back): read it all
     * again in the encoding the whole file has */
    import_result_free(r);
    err_clear(e);
    return import_run(d, t, path, o, retry, &retry, r, e);
}
