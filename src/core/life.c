/* life.c — the life of a permit (see life.h).
 *
 * An event and the permit's update are one change: the event row is
 * inserted and each permit field written through the change object, so
 * the history records both, `undo` takes both back, and verify checks
 * both.  The change's kind is 'add' (it adds the event row); its summary
 * names the event ("permit_events 3: mining_permits 101 延续").
 */
#include "config.h"

#include "life.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "i18n.h"
#include "validate.h"

const table *life_events(const schema *s)
{
    for (int i = 0; i < s->ntables; i++)
        if (table_role(&s->tables[i], "event_type") >= 0)
            return &s->tables[i];
    return NULL;
}

int life_event_col(const schema *s, const table *t)
{
    const table *ev = life_events(s);
    for (int i = 0; ev && t && i < ev->ncols; i++)
        if (ev->cols[i].roles && list_has(ev->cols[i].roles, "event_of") &&
            strcmp(ev->cols[i].link_tbl, t->id) == 0)
            return i;
    return -1;
}

/* days since 1970-01-01 of a civil date (Howard Hinnant's algorithm) */
static long civil_days(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

long life_days(const char *a, const char *b, int *ok)
{
    int y1, m1, d1, y2, m2, d2;
    *ok = a && b && value_is_date(a) && value_is_date(b) &&
          sscanf(a, "%4d-%2d-%2d", &y1, &m1, &d1) == 3 && sscanf(b, "%4d-%2d-%2d", &y2, &m2, &d2) == 3;
    return *ok ? civil_days(y2, m2, d2) - civil_days(y1, m1, d1) : 0;
}

int life_cancelled(const schema *s, const char *regtype)
{
    for (int i = 0; regtype && *regtype && i < s->nevtypes; i++)
        if (list_has(s->evtypes[i].sets, "ends") && *s->evtypes[i].regtype &&
            edit_same(s->evtypes[i].regtype, regtype))
            return 1;
    return 0;
}

/* ---- the timeline and former numbers -------------------------------------- */

int life_timeline(db *d, const table *t, int64_t rowid, life_event_fn fn, void *arg, mr_err *e)
{
    const schema *s = db_schema(d);
    const table *ev = life_events(s);
    int eci = life_event_col(s, t);
    if (!ev || eci < 0)
        return 0;
    char **p = edit_read_row(d, t, rowid);
    if (!p || !p[t->key_ci]) {
        edit_free_row(p, t->ncols);
        return 0;
    }
    db_filter f = {.ci = eci, .value = p[t->key_ci], .op = DBF_EQ};
    cursor *c = db_select(d, ev, &f, 1, table_role(ev, "event_date"), 0, -1, e);
    int n = 0;
    if (!c) {
        edit_free_row(p, t->ncols);
        return -1;
    }
    const char **vals = xcalloc((size_t)ev->ncols, sizeof *vals);
    int rc;
    while ((rc = cursor_next(c)) == 1) {
        for (int i = 0; i < ev->ncols; i++)
            vals[i] = cursor_val(c, i);
        if (fn)
            fn(arg, ev, cursor_rowid(c), vals);
        n++;
    }
    if (rc < 0) {
        err_set(e, EXIT_DB, "%s", cursor_error(c) ? cursor_error(c) : "cannot read the events");
        n = -1;
    }
    free(vals);
    cursor_free(c);
    edit_free_row(p, t->ncols);
    return n;
}

int life_find_former(db *d, const table *t, const char *number, int64_t *rowid, mr_err *e)
{
    const schema *s = db_schema(d);
    const table *ev = life_events(s);
    int eci = life_event_col(s, t), was = ev ? table_role(ev, "was:number") : -1;
    if (!ev || eci < 0 || was < 0 || !number || !*number)
        return DB_NOT_FOUND;
    db_filter f[2] = {{.ci = was, .value = number, .op = DBF_EQ},
                      {.ci = eci, .op = DBF_EMPTY, .neg = 1}};
    cursor *c = db_select(d, ev, f, 2, -1, 0, 1, e);
    if (!c)
        return DB_ERROR;
    int rc = cursor_next(c);
    char *key = rc == 1 && cursor_val(c, eci) ? xstrdup(cursor_val(c, eci)) : NULL;
    cursor_free(c);
    if (rc < 0)
        return DB_ERROR;
    if (!key)
        return DB_NOT_FOUND;
    rc = db_find_by(d, t, t->key_ci, key, rowid, e);
    free(key);
    return rc;
}

void life_event_summary(const table *ev, const char *const *vals, buf *out)
{
    size_t start = out->len;
    for (int i = 0; i < ev->ncols; i++) {
        const char *ro = ev->cols[i].roles;
        if (!vals[i] || !*vals[i] || !ro || !(strstr(ro, "now:") || list_has(ro, "event_changes") ||
                                               list_has(ro, "event_note")))
            continue;
        if (out->len > start)
            buf_puts(out, "; ");
        if (!list_has(ro, "event_changes")) {
            buf_printf(out, "%s ", ev->cols[i].label);
            col_format(&ev->cols[i], vals[i], out);   /* as the record shows it */
        } else
            buf_puts(out, vals[i]);
    }
    int was = table_role(ev, "was:number"), now = table_role(ev, "now:number");
    if (was >= 0 && now >= 0 && vals[was] && vals[now])
        buf_printf(out, "%s%s %s", out->len > start ? "; " : "", ev->cols[was].label, vals[was]);
}

/* ---- recording an event ----------------------------------------------------- */

static int refused(edit_result *r)
{
    r->code = EDIT_REFUSED;
    return -1;
}

/* The rules of event type x for permit t, now -> merged (which it may
 * complete: the 登记类型, what the type sets).  0, or -1 (refused). */
static int apply_rules(db *d, const table *t, int64_t rowid, const event_type *x,
                       const char *date, char **now, char **merged, const char *const *given,
                       edit_result *r, buf *warn, mr_err *e)
{
    int rci = table_role(t, "regtype");
    if (x->first) {
        int n = life_timeline(d, t, rowid, NULL, NULL, e);
        if (n < 0)
            return -1;
        if (n > 0) {
            err_set(e, EXIT_NOTFOUND, _("%s: a %s can only be the permit's first event, and it has "
                                        "events; nothing was written"), t->id, x->type);
            return refused(r);
        }
    }
    if (x->live && rci >= 0 && life_cancelled(db_schema(d), now[rci])) {
        err_set(e, EXIT_NOTFOUND, _("%s: the permit is cancelled (%s %s): nothing can be recorded "
                                    "after it; nothing was written"), t->id, t->cols[rci].label,
                now[rci]);
        return refused(r);
    }
    /* what the type needs a new value of */
    for (const char *p = x->needs; p && *p;) {
        const char *end = strchr(p, ';');
        char *role = xstrndup(p, end ? (size_t)(end - p) : strlen(p));
        int ci = table_role(t, role);
        free(role);
        if (ci >= 0 && (!given[ci] || edit_same(given[ci], now[ci]))) {
            err_set(e, EXIT_NOTFOUND, _("a %s needs a new %s (%s=VALUE); nothing was written"),
                    x->type, t->cols[ci].label, t->cols[ci].id);
            r->code = EDIT_REFUSED;
            return -1;
        }
        p = end ? end + 1 : NULL;
    }
    /* what the type sets, where the permit has it and the clerk did not */
    for (const char *p = x->sets; p && *p;) {
        const char *end = strchr(p, ';');
        char *pair = xstrndup(p, end ? (size_t)(end - p) : strlen(p));
        char *eq = strchr(pair, '=');
        if (eq) {
            *eq = 0;
            int ci = table_role(t, pair);
            if (ci >= 0 && !given[ci]) {
                free(merged[ci]);
                merged[ci] = xstrdup(eq + 1);
            }
        }
        free(pair);
        p = end ? end + 1 : NULL;
    }
    if (rci >= 0 && *x->regtype && !given[rci]) {
        free(merged[rci]);
        merged[rci] = xstrdup(x->regtype);
    }
    /* an extension: dated inside the validity it extends, and extending it */
    int xci = table_role(t, "expiry");
    if (xci >= 0 && x->needs && list_has(x->needs, "expiry") && now[xci] && *now[xci]) {
        int ok;
        long late = life_days(now[xci], date, &ok);
        if (ok && late > 0) {
            err_set(e, EXIT_NOTFOUND,
                    _("a %s dated %s is after the validity it extends (ended %s): the permit has "
                      "lapsed; nothing was written"), x->type, date, now[xci]);
            r->code = EDIT_REFUSED;
            return -1;
        }
        long gain = life_days(now[xci], merged[xci], &ok);
        if (ok && gain <= 0) {
            err_set(e, EXIT_NOTFOUND,
                    _("%s: the new %s %s does not extend the validity (it ends %s); nothing was "
                      "written"), x->type, t->cols[xci].label, merged[xci], now[xci]);
            r->code = EDIT_REFUSED;
            return -1;
        }
        long before = life_days(date, now[xci], &ok);
        if (ok && x->days > 0 && before < x->days)
            buf_printf(warn, _("%s %s: filed %ld days before the validity ended (%s); the rule asks "
                               "at least %d (R-RENEWAL)\n"),
                       t->id, now[t->key_ci] ? now[t->key_ci] : "", before, now[xci], x->days);
    }
    return 0;
}

/* The event row: its own fields, the link, the was:/now: values of every
 * role that changed, and the other fields changed ("label: old → new"). */
static char **event_row(const table *ev, int eci, const table *t, const life_event_in *in,
                        char **now, char **merged)
{
    char **v = xcalloc((size_t)ev->ncols, sizeof *v);
    const char *own[][2] = {{"event_type", in->type}, {"event_date", in->date},
                            {"event_doc", in->doc}, {"event_note", in->note}};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++) {
        int ci = table_role(ev, own[i][0]);
        if (ci >= 0 && own[i][1] && *own[i][1])
            v[ci] = xstrdup(own[i][1]);
    }
    v[eci] = xstrdup(now[t->key_ci]);
    int *covered = xcalloc((size_t)t->ncols, sizeof *covered);
    for (int i = 0; i < ev->ncols; i++) {
        const char *ro = ev->cols[i].roles;
        for (const char *p = ro; p && *p;) {
            const char *end = strchr(p, ';');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            int was = n > 4 && strncmp(p, "was:", 4) == 0, is = n > 4 && strncmp(p, "now:", 4) == 0;
            if (was || is) {
                char *role = xstrndup(p + 4, n - 4);
                int pci = table_role(t, role);
                free(role);
                if (pci >= 0) {
                    covered[pci] = 1;
                    /* the number and the expiry before are kept always: the
                     * chain of numbers, the validity extended */
                    int keep = !edit_same(now[pci], merged[pci]) ||
                               (was && (list_has(t->cols[pci].roles, "number") ||
                                        list_has(t->cols[pci].roles, "expiry")));
                    const char *val = was ? now[pci] : merged[pci];
                    if (keep && val && *val) {
                        free(v[i]);
                        v[i] = xstrdup(val);
                    }
                }
            }
            p = end ? end + 1 : NULL;
        }
    }
    int cci = table_role(ev, "event_changes");
    int rci = table_role(t, "regtype");
    buf ch = BUF_INIT;
    for (int i = 0; cci >= 0 && i < t->ncols; i++)
        if (!covered[i] && i != rci && !edit_same(now[i], merged[i])) {
            /* each value as the permit's record shows it (an area to its
             * scale, not the double the boundary gave) */
            buf_printf(&ch, "%s%s: ", ch.len ? "; " : "", t->cols[i].label);
            if (now[i] && *now[i])
                col_format(&t->cols[i], now[i], &ch);
            else
                buf_puts(&ch, "—");
            buf_puts(&ch, " → ");
            if (merged[i] && *merged[i])
                col_format(&t->cols[i], merged[i], &ch);
            else
                buf_puts(&ch, "—");
        }
    if (cci >= 0 && ch.len)
        v[cci] = buf_steal(&ch);
    buf_free(&ch);
    free(covered);
    return v;
}

/* 1 good, 0 not (r->issues say why), -1 a lookup failed (e says why). */
static int validate_into(db *d, const table *t, const char *const *vals, int64_t self,
                         edit_result *r, mr_err *e)
{
    validator *v = validator_new(d, t);
    int n = validator_row(v, vals, self, r->issues + r->nissues, EDIT_MAX_ISSUES - r->nissues);
    if (n < 0)
        validator_error(v, e);
    validator_free(v);
    if (n < 0)
        return -1;
    r->nissues += n;
    if (r->nissues > EDIT_MAX_ISSUES)
        r->nissues = EDIT_MAX_ISSUES;
    return n == 0;
}

/* The given event row's own values checked against what the event makes
 * of them: a was: value that is not what the permit holds is refused; the
 * values the event does not make (the 序号, the changes as written, an
 * empty field) are kept as given.  0, or -1 (refused, e filled). */
static int merge_given(const table *ev, char **evv, const char *const *given, edit_result *r,
                       mr_err *e)
{
    for (int i = 0; given && i < ev->ncols; i++) {
        if (!given[i] || !*given[i])
            continue;
        const char *ro = ev->cols[i].roles;
        if (ro && strstr(ro, "was:") && evv[i] && !edit_same(evv[i], given[i])) {
            err_set(e, EXIT_NOTFOUND, _("%s: '%s', but the permit holds '%s' (an event records "
                                        "the permit as it is; `minreg event` records one); "
                                        "nothing was written"),
                    ev->cols[i].label, given[i], evv[i]);
            r->code = EDIT_REFUSED;
            return -1;
        }
        if (!evv[i] || !*evv[i]) {
            free(evv[i]);
            evv[i] = xstrdup(given[i]);
        }
    }
    return 0;
}

/* The percentage of the first area an extension must cut: the role
 * 'cut:N' on the first area's column (exploration permits: 25), else 0. */
static int area_cut(const table *t, int fci)
{
    const char *ro = t->cols[fci].roles, *p = ro ? strstr(ro, "cut:") : NULL;
    return p && (p == ro || p[-1] == ';') ? atoi(p + 4) : 0;
}

/* The first-issued area (首次登记面积, role 'first_area'): filled from the
 * area when empty, by a 新立 or an extension, and kept from then on.  The
 * exploration 延续 rule (weak evidence, DOMAIN.md; the role 'cut:N' says
 * N%): each extension cuts the area by N% of the first area; a new area over
 * the area before less that cut is a warning, not a refusal. */
static void area_rule(db *d, const table *t, const event_type *x, char **now, char **merged,
                      buf *warn)
{
    int aci = table_role(t, "area"), fci = table_role(t, "first_area");
    (void)d;
    if (aci < 0 || fci < 0)
        return;
    int cut = area_cut(t, fci);
    const char *area0 = warn ? now[aci] : merged[aci];   /* a 新立: the area it gives */
    if ((!merged[fci] || !*merged[fci]) && area0 && *area0) {
        free(merged[fci]);
        merged[fci] = xstrdup(area0);   /* the area first registered: kept from now on */
    }
    if (!warn || cut <= 0 || !merged[fci] || !merged[aci])
        return;
    double first = strtod(merged[fci], NULL), area = strtod(merged[aci], NULL);
    double before = now[aci] ? strtod(now[aci], NULL) : first;
    double most = before - first * cut / 100.0;
    if (first > 0 && area > most + 5e-5)
        buf_printf(warn, _("%s %s: a %s keeps %.4f of the area; the rule cuts %d%% of the first "
                           "area %.4f at each extension, to at most %.4f (首次登记面积)\n"),
                   t->id, now[t->key_ci] ? now[t->key_ci] : "", x->type, area, cut, first,
                   most < 0 ? 0 : most);
}

/* The event in change w: checked, then (record: the change's entry first)
 * the event row and the permit's fields written.  EDIT_OK, or the code with
 * nothing written. */
static int event_apply(db *d, chg *w, const life_event_in *in, const char *const *given_ev,
                       int record, int64_t *evrid_out, edit_result *r, buf *warn, mr_err *e)
{
    const schema *s = db_schema(d);
    const table *t = in->permit, *ev = life_events(s);
    int eci = life_event_col(s, t);
    if (!ev || eci < 0) {
        err_set(e, EXIT_USAGE, _("%s has no registration events (it is not a permit register)"),
                t->id);
        return r->code = EDIT_REFUSED;
    }
    const event_type *x = schema_event_type(s, in->type);
    if (!x) {
        buf b = BUF_INIT;
        for (int i = 0; i < s->nevtypes; i++)
            buf_printf(&b, "%s%s", i ? ", " : "", s->evtypes[i].type);
        err_set(e, EXIT_USAGE, _("'%s' is not an event type: %s"), in->type ? in->type : "",
                buf_str(&b));
        buf_free(&b);
        return r->code = EDIT_REFUSED;
    }
    char **now = edit_read_row(d, t, in->rowid), **merged = NULL, **evv = NULL, **given = NULL;
    int ok = 0;
    if (!now) {
        err_set(e, EXIT_CONFLICT, _("%s: the record was deleted by someone else; nothing was written"),
                t->id);
        r->code = EDIT_CONFLICT;
        goto out;
    }
    given = values_normal(t, in->sets);
    merged = xcalloc((size_t)t->ncols, sizeof *merged);
    for (int i = 0; i < t->ncols; i++)
        merged[i] = given[i] ? xstrdup(given[i]) : now[i] ? xstrdup(now[i]) : NULL;
    if (!in->date || !value_is_date(in->date)) {
        err_set(e, EXIT_USAGE, _("--date: '%s' is not a date (YYYY-MM-DD)"), in->date ? in->date : "");
        r->code = EDIT_REFUSED;
        goto out;
    }
    if (apply_rules(d, t, in->rowid, x, in->date, now, merged, (const char *const *)given, r, warn,
                    e) < 0)
        goto out;
    if (list_has(x->needs, "expiry") || x->first)
        area_rule(d, t, x, now, merged, x->first ? NULL : warn);
    evv = event_row(ev, eci, t, in, now, merged);
    if (merge_given(ev, evv, given_ev, r, e) < 0)
        goto out;
    int good = validate_into(d, ev, (const char *const *)evv, -1, r, e);
    int good2 = good < 0 ? -1 : validate_into(d, t, (const char *const *)merged, in->rowid, r, e);
    if (good < 0 || good2 < 0) {
        r->code = EDIT_ERROR;
        goto out;
    }
    if (!good || !good2) {
        r->code = EDIT_INVALID;
        goto out;
    }
    ok = 1;
    if (record) {
        buf sum = BUF_INIT;
        buf_printf(&sum, "%s: %s %s %s", ev->id, t->id, now[t->key_ci] ? now[t->key_ci] : "", x->type);
        ok = (r->change = chg_record(w, "add", ev->id, buf_str(&sum), in->comment, 0, e)) > 0;
        buf_free(&sum);
    }
    int64_t evrid = 0;
    ok = ok && chg_insert(w, ev, (const char *const *)evv, 0, &evrid, e) == 0;
    for (int i = 0; ok && i < t->ncols; i++)
        if (!edit_same(merged[i], now[i]))
            ok = chg_update(w, t, in->rowid, merged[t->key_ci] ? merged[t->key_ci] : now[t->key_ci],
                            i, now[i], merged[i], e) == 0;
    if (ok && evrid_out)
        *evrid_out = evrid;
    else if (!ok && r->code == EDIT_OK)
        r->code = EDIT_ERROR;
out:
    edit_free_row(now, t->ncols);
    edit_free_row(merged, t->ncols);
    edit_free_row(evv, ev->ncols);
    if (given)
        values_free(t, given);
    return ok ? EDIT_OK : r->code ? r->code : (r->code = EDIT_ERROR);
}

/* A change of its own around event_apply. */
static int event_own(db *d, const life_event_in *in, const char *const *given_ev,
                     int64_t *evrid, edit_result *r, buf *warn, mr_err *e)
{
    if (db_readonly(d)) {
        err_set(e, db_readonly_exit(d), _("%s is open read-only: nothing was changed"), db_path(d));
        return r->code = EDIT_REFUSED;
    }
    chg *w = chg_begin(d, e);
    if (!w)
        return r->code = EDIT_ERROR;
    if (event_apply(d, w, in, given_ev, 1, evrid, r, warn, e) != EDIT_OK) {
        chg_abort(w);
        return r->code;
    }
    if (chg_commit(w, e) < 0)
        return r->code = EDIT_ERROR;
    return r->code = EDIT_OK;
}

int life_event(db *d, const life_event_in *in, edit_result *r, buf *warn, mr_err *e)
{
    memset(r, 0, sizeof *r);
    r->rowid = in->rowid;
    return event_own(d, in, NULL, NULL, r, warn, e);
}

int life_event_row(db *d, chg *w, const char *const *vals, const char *comment, edit_result *r,
                   buf *warn, mr_err *e)
{
    memset(r, 0, sizeof *r);
    const schema *s = db_schema(d);
    const table *ev = life_events(s), *t = NULL;
    int eci = -1;
    for (int i = 0; ev && i < ev->ncols; i++)
        if (ev->cols[i].roles && list_has(ev->cols[i].roles, "event_of") && vals[i] && *vals[i]) {
            if (eci >= 0) {
                err_set(e, EXIT_NOTFOUND, _("an event names one permit: %s and %s are both given; "
                                            "nothing was written"),
                        ev->cols[eci].label, ev->cols[i].label);
                return r->code = EDIT_REFUSED;
            }
            eci = i;
        }
    if (eci < 0) {
        buf b = BUF_INIT;
        for (int i = 0; ev && i < ev->ncols; i++)
            if (ev->cols[i].roles && list_has(ev->cols[i].roles, "event_of"))
                buf_printf(&b, "%s%s", b.len ? _(" or ") : "", ev->cols[i].label);
        err_set(e, EXIT_NOTFOUND, _("an event names its permit (%s); nothing was written"), buf_str(&b));
        buf_free(&b);
        return r->code = EDIT_REFUSED;
    }
    t = schema_table(s, ev->cols[eci].link_tbl);
    int64_t rowid;
    int found = t ? db_find_by(d, t, ev->cols[eci].link_ci, vals[eci], &rowid, e) : DB_NOT_FOUND;
    if (found == DB_ERROR)
        return r->code = EDIT_ERROR;
    if (found == DB_NOT_FOUND) {
        err_set(e, EXIT_NOTFOUND, _("%s: no permit '%s'; nothing was written"), ev->cols[eci].label,
                vals[eci]);
        return r->code = EDIT_REFUSED;
    }
    r->rowid = rowid;
    /* the permit's new values: each now:ROLE given */
    char **sets = xcalloc((size_t)t->ncols, sizeof *sets);
    const char *own[4] = {NULL, NULL, NULL, NULL};
    static const char *const roles[4] = {"event_type", "event_date", "event_doc", "event_note"};
    for (int k = 0; k < 4; k++) {
        int ci = table_role(ev, roles[k]);
        own[k] = ci >= 0 ? vals[ci] : NULL;
    }
    for (int i = 0; i < ev->ncols; i++) {
        const char *ro = ev->cols[i].roles;
        for (const char *p = ro; p && *p && vals[i] && *vals[i];) {
            const char *end = strchr(p, ';');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            if (n > 4 && strncmp(p, "now:", 4) == 0) {
                char *role = xstrndup(p + 4, n - 4);
                int pci = table_role(t, role);
                free(role);
                if (pci >= 0) {
                    free(sets[pci]);
                    sets[pci] = xstrdup(vals[i]);
                }
            }
            p = end ? end + 1 : NULL;
        }
    }
    life_event_in in = {.permit = t, .rowid = rowid, .type = own[0], .date = own[1], .doc = own[2],
                        .note = own[3], .sets = (const char *const *)sets, .comment = comment};
    int64_t evrid = 0;
    buf mine = BUF_INIT;
    if (!warn)
        warn = &mine;   /* the caller does not show them */
    int rc = w ? event_apply(d, w, &in, vals, 0, &evrid, r, warn, e)
               : event_own(d, &in, vals, &evrid, r, warn, e);
    r->rowid = evrid ? evrid : rowid;
    buf_free(&mine);
    for (int i = 0; i < t->ncols; i++)
        free(sets[i]);
    free(sets);
    return rc;
}

/* What an event did to its permit is in its type, its date, the permit it
 * names and the values before and after (the roles event_type, event_date,
 * event_of, was:, now:).  A set of those on the row alone would leave the
 * permit as the event made it and the rules unchecked. */
static int event_effect_col(const column *c)
{
    const char *ro = c->roles;
    return ro && (list_has(ro, "event_type") || list_has(ro, "event_date") ||
                  list_has(ro, "event_of") || strstr(ro, "was:") || strstr(ro, "now:"));
}

int life_event_set_check(const table *ev, const char *const *now, const char *const *merged,
                         edit_result *r, mr_err *e)
{
    for (int i = 0; i < ev->ncols; i++)
        if (event_effect_col(&ev->cols[i]) && !edit_same(now[i], merged[i])) {
            err_set(e, EXIT_NOTFOUND,
                    _("%s: an event's %s is what it did to its permit, checked by the event "
                      "rules when it was recorded; it is not changed on the row (undo its change, "
                      "or record a new event: `minreg event`); nothing was written"),
                    ev->id, ev->cols[i].label);
            r->code = EDIT_REFUSED;
            return -1;
        }
    return 0;
}

/* ---- what expires ------------------------------------------------------------ */

int life_filing_days(const schema *s)
{
    for (int i = 0; i < s->nevtypes; i++)
        if (list_has(s->evtypes[i].needs, "expiry") && s->evtypes[i].days > 0)
            return s->evtypes[i].days;
    return 0;
}

const char *life_state_name(int state)
{
    return state == LIFE_EXPIRED ? _("expired: no extension or cancellation recorded")
           : state == LIFE_FILE_NOW ? _("file the extension now")
                                    : _("due");
}

static char *dup_col(char **v, int ci) { return ci >= 0 && v[ci] ? xstrdup(v[ci]) : NULL; }

struct last_ev {
    buf b;
    int tci, dci;
};

static void last_fn(void *arg, const table *ev, int64_t rid, const char *const *vals)
{
    (void)ev;
    (void)rid;
    struct last_ev *l = arg;
    buf_reset(&l->b);
    buf_printf(&l->b, "%s %s", vals[l->tci] ? vals[l->tci] : "", vals[l->dci] ? vals[l->dci] : "");
}

static int due_cmp(const void *a, const void *b)
{
    const life_due *x = a, *y = b;
    if (x->days != y->days)
        return x->days < y->days ? -1 : 1;
    int c = strcmp(x->t->id, y->t->id);
    return c ? c : (x->rowid > y->rowid) - (x->rowid < y->rowid);
}

int life_expiring(db *d, const char *today, long days, life_due **out, mr_err *e)
{
    const schema *s = db_schema(d);
    const table *ev = life_events(s);
    int window = life_filing_days(s), n = 0, cap = 0;
    life_due *v = NULL;
    for (int ti = 0; ti < s->ntables; ti++) {
        const table *t = &s->tables[ti];
        int xci = table_role(t, "expiry");
        if (xci < 0 || life_event_col(s, t) < 0)
            continue;
        int rci = table_role(t, "regtype");
        db_filter f = {.ci = xci, .op = DBF_EMPTY, .neg = 1};
        cursor *c = db_select(d, t, &f, 1, xci, 0, -1, e);
        if (!c) {
            life_due_free(v, n);
            return -1;
        }
        int rc;
        while ((rc = cursor_next(c)) == 1) {
            const char *x = cursor_val(c, xci);
            int ok;
            long left = life_days(today, x, &ok);
            if (!ok || left > days || (rci >= 0 && life_cancelled(s, cursor_val(c, rci))))
                continue;
            if (n == cap)
                v = xrealloc(v, sizeof *v * (size_t)(cap = cap ? cap * 2 : 16));
            life_due *u = &v[n++];
            memset(u, 0, sizeof *u);
            char **row = xcalloc((size_t)t->ncols, sizeof *row);
            for (int i = 0; i < t->ncols; i++)
                row[i] = (char *)cursor_val(c, i);
            u->t = t;
            u->rowid = cursor_rowid(c);
            u->key = dup_col(row, t->key_ci);
            u->number = dup_col(row, table_role(t, "number"));
            u->name = dup_col(row, t->label_ci);
            u->holder = dup_col(row, table_role(t, "holder"));
            u->district = dup_col(row, table_role(t, "district"));
            u->expiry = xstrdup(x);
            u->days = left;
            u->state = left < 0 ? LIFE_EXPIRED : left < window ? LIFE_FILE_NOW : LIFE_DUE;
            free(row);
        }
        if (rc < 0) {
            err_set(e, EXIT_DB, "%s", cursor_error(c) ? cursor_error(c) : "cannot read");
            cursor_free(c);
            life_due_free(v, n);
            return -1;
        }
        cursor_free(c);
    }
    /* the last event of each (after the scan: one cursor at a time) */
    for (int i = 0; ev && i < n; i++) {
        struct last_ev l = {.b = BUF_INIT, .tci = table_role(ev, "event_type"),
                            .dci = table_role(ev, "event_date")};
        if (life_timeline(d, v[i].t, v[i].rowid, last_fn, &l, e) > 0)
            v[i].last_event = buf_steal(&l.b);
        buf_free(&l.b);
    }
    if (n > 1)
        qsort(v, (size_t)n, sizeof *v, due_cmp);
    *out = v;
    return n;
}

void life_due_free(life_due *v, int n)
{
    for (int i = 0; v && i < n; i++) {
        free(v[i].key); free(v[i].number); free(v[i].name); free(v[i].holder);
        free(v[i].district); free(v[i].expiry); free(v[i].last_event);
    }
    free(v);
}

/* ---- the year's events ---------------------------------------------------------- */

static const schema *count_schema;

static int count_cmp(const void *a, const void *b)
{
    const life_count *x = a, *y = b;
    const event_type *tx = schema_event_type(count_schema, x->type),
                     *ty = schema_event_type(count_schema, y->type);
    int ox = tx ? tx->ord : 1 << 20, oy = ty ? ty->ord : 1 << 20;
    if (ox != oy)
        return ox < oy ? -1 : 1;
    int c = strcmp(x->type, y->type);
    return c ? c : strcmp(x->district, y->district);
}

int life_yearly(db *d, const char *year, life_count **out, mr_err *e)
{
    const schema *s = db_schema(d);
    const table *ev = life_events(s);
    *out = NULL;
    if (!ev)
        return 0;
    int tci = table_role(ev, "event_type"), dci = table_role(ev, "event_date");
    char from[16], to[16];
    snprintf(from, sizeof from, "%.4s-01-01", year);
    snprintf(to, sizeof to, "%.4s-12-31", year);
    db_filter f = {.ci = dci, .value = from, .op = DBF_RANGE, .value2 = to};
    cursor *c = db_select(d, ev, &f, 1, dci, 0, -1, e);
    if (!c)
        return -1;
    /* the events first (one cursor at a time), then their permits' districts */
    char **types = NULL, **tbl = NULL, **keys = NULL;
    int n = 0, rc;
    while ((rc = cursor_next(c)) == 1) {
        types = xrealloc(types, sizeof *types * (size_t)(n + 1));
        tbl = xrealloc(tbl, sizeof *tbl * (size_t)(n + 1));
        keys = xrealloc(keys, sizeof *keys * (size_t)(n + 1));
        types[n] = xstrdup(cursor_val(c, tci) ? cursor_val(c, tci) : "");
        tbl[n] = keys[n] = NULL;
        for (int i = 0; i < ev->ncols; i++)
            if (ev->cols[i].roles && list_has(ev->cols[i].roles, "event_of") && cursor_val(c, i)) {
                tbl[n] = xstrdup(ev->cols[i].link_tbl);
                keys[n] = xstrdup(cursor_val(c, i));
                break;
            }
        n++;
    }
    int bad = rc < 0;
    if (bad)
        err_set(e, EXIT_DB, "%s", cursor_error(c) ? cursor_error(c) : "cannot read the events");
    cursor_free(c);
    life_count *v = NULL;
    int nv = 0;
    for (int i = 0; i < n && !bad; i++) {
        const char *dist = "";
        char **row = NULL;
        const table *t = tbl[i] ? schema_table(s, tbl[i]) : NULL;
        int64_t rid;
        if (t && db_find_by(d, t, t->key_ci, keys[i], &rid, NULL) == DB_FOUND &&
            (row = edit_read_row(d, t, rid)) && table_role(t, "district") >= 0 &&
            row[table_role(t, "district")])
            dist = row[table_role(t, "district")];
        int k = 0;
        while (k < nv && (strcmp(v[k].type, types[i]) || strcmp(v[k].district, dist)))
            k++;
        if (k == nv) {
            v = xrealloc(v, sizeof *v * (size_t)(nv + 1));
            v[nv++] = (life_count){.type = xstrdup(types[i]), .district = xstrdup(dist)};
        }
        v[k].n++;
        edit_free_row(row, t ? t->ncols : 0);
    }
    for (int i = 0; i < n; i++) {
        free(types[i]);
        free(tbl[i]);
        free(keys[i]);
    }
    free(types);
    free(tbl);
    free(keys);
    if (bad) {
        life_count_free(v, nv);
        return -1;
    }
    count_schema = s;
    if (nv > 1)
        qsort(v, (size_t)nv, sizeof *v, count_cmp);
    *out = v;
    return nv;
}

void life_count_free(life_count *v, int n)
{
    for (int i = 0; v && i < n; i++) {
        free(v[i].type);
        free(v[i].district);
    }
    free(v);
}
