/* schema.h — the register description, read from the minreg_* tables.
 *
 * Everything generic (screens, CLI output, CSV mapping, validation) walks
 * these structures; nothing else in minreg knows a register by name.
 * No SQL here: db.c fills the structures.
 */
#ifndef MINREG_SCHEMA_H
#define MINREG_SCHEMA_H

#include "buf.h"

typedef enum { COL_TEXT, COL_INT, COL_DEC, COL_DATE, COL_YEAR } col_type;

typedef struct column {
    char *id, *label, *label_en, *unit;
    char *enum_s;      /* allowed values separated by '|', "" = any */
    char *pattern;     /* PCRE2 pattern for the whole value, "" = none */
    /* the pattern in the clerk's words (minreg_meta 'pattern:' and
     * 'pattern_en:' rows), NULL = none: said instead of the pattern */
    char *pattern_text, *pattern_text_en;
    char *link_tbl, *link_col;
    col_type type;
    char *range;       /* ">0", ">=0", "A..B" or "" */
    char *not_before;  /* column id this one may not be less than, or "" */
    int required, multi, scale;
    int not_before_ci; /* resolved, or -1 */
    int link_ti, link_ci;   /* resolved target (table index, column index) or -1 */
    int linked_in;          /* a column of another register (or this one) links to this one */
    char *roles;            /* what it is to the generic code (minreg_roles), ';'-list, "" none */
    int appended;           /* role 'appended': left out of the row's sum while empty */
} column;

typedef struct table {
    char *id, *grp, *appendix, *alias, *title, *title_en, *source;
    char *key_col, *label_col;
    int ord;
    column *cols;
    int ncols;
    int key_ci, label_ci;
} table;

typedef struct total {
    char *tbl, *measure, *col, *where_col, *where_val, *unit, *source, *note;
    char *kind;         /* "text": the plan states it; "table": rows a table of it lists */
    char *with_tbl;     /* a second register counted with tbl ("" none) */
    double value;
} total;

/* An event type of a permit's life (minreg_event_types). */
typedef struct event_type {
    char *type, *label_en, *regtype, *needs, *sets, *note;
    int ord, live, first, days;
} event_type;

/* Does the plan's text state x (not only list as many rows)? */
int total_is_stated(const total *x);

/* A seed file's note (minreg_sources): "来源: ..." or a transcription note. */
typedef struct source_note {
    char *tbl, *note;
} source_note;

typedef struct schema {
    int version;
    event_type *evtypes;
    int nevtypes;
    table *tables;
    int ntables;
    total *totals;
    int ntotals;
    source_note *notes;
    int nnotes;
} schema;

/* Find a register by id, alias (a2), appendix (附表2, 附表 2, 专栏一) or its
 * Chinese title (with or without the 辽宁省丹东市 prefix). */
const table *schema_table(const schema *s, const char *name);
int schema_table_index(const schema *s, const table *t);
int table_col(const table *t, const char *id);   /* index or -1 */
/* Column by id, Chinese label, or "label(unit)" header form. */
int table_col_any(const table *t, const char *name);

/* The column of t with role (minreg_roles: "expiry", "now:number"), or -1. */
int table_role(const table *t, const char *role);
/* The event type named type, or NULL. */
const event_type *schema_event_type(const schema *s, const char *type);

/* The register's area column: its first decimal column in km² (平方公里)
 * that is not an event's former or new area (roles was:, now:),
 * or -1.  What the summary and the frequency screen sum. */
int table_area_col(const table *t);

/* "面积(平方公里)": label with unit, as headers show it. */
void col_header(const column *c, buf *out);

/* Value as shown to people: decimals with the column's scale. */
void col_format(const column *c, const char *raw, buf *out);

/* Does the ';'-list `list` contain `item`? */
int list_has(const char *list, const char *item);

const char *col_type_name(col_type t);
int col_type_parse(const char *s, col_type *t);

void schema_resolve(schema *s);   /* fill index fields after loading */
void schema_free(schema *s);

/* The seed notes about a row of t whose 序号 is seq (NULL: the register's
 * own): the register's general notes and those naming 序号seq, in order, at
 * most max into out (strings the schema owns).  Returns how many. */
int schema_notes(const schema *s, const table *t, const char *seq, const char **out, int max);

/* A row's source, as lines to show on its record: the register's clause
 * (or the seed's 来源 note), the notes about the row (schema_notes), and the
 * figures the plan states about the row whose key is key.  At most max
 * lines into out, each to free.  Returns how many. */
int schema_row_sources(const schema *s, const table *t, const char *key, const char *seq,
                       char **out, int max);

#endif
