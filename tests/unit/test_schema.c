/* test_schema.c — reading the register description from the bundled register. */
#include "config.h"
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "tap.h"

int main(void)
{
    const char *bd = getenv("builddir");
    buf path = BUF_INIT;
    buf_printf(&path, "%s/data/register.db", bd ? bd : ".");
    db *d = NULL;
    mr_err e = {0};
    ok(db_open(buf_str(&path), DB_READONLY, &d, &e) == 0, "open the bundled register: %s", e.msg);
    if (!d)
        return tap_done();
    const schema *s = db_schema(d);
    is_int(s->version, MINREG_SCHEMA_VERSION, "schema version recorded");
    is_int(s->ntables, 17, "17 registers");

    const table *t = schema_table(s, "exploration_areas");
    ok(t != NULL, "find by id");
    ok(schema_table(s, "a2") == t, "find by alias a2");
    ok(schema_table(s, "A2") == t, "aliases ignore case");
    ok(schema_table(s, "附表2") == t, "find by appendix 附表2");
    ok(schema_table(s, "附表 2") == t, "find by appendix with a space");
    ok(schema_table(s, "矿产资源重点勘查区表") == t, "find by Chinese title");
    ok(schema_table(s, "辽宁省丹东市矿产资源重点勘查区表") == t, "find by full title");
    ok(schema_table(s, "附表1") != schema_table(s, "附表10"), "附表1 is not 附表10");
    ok(schema_table(s, "nope") == NULL, "unknown register");

    is_int(table_col(t, "area_km2"), 4, "column by id");
    is_int(table_col_any(t, "面积"), 4, "column by Chinese label");
    is_int(table_col_any(t, "面积(平方公里)"), 4, "column by header with unit");
    is_str(t->cols[t->key_ci].id, "code", "key column");

    const column *c = &t->cols[table_col(t, "minerals")];
    ok(c->multi, "minerals is multi-valued");
    is_str(s->tables[c->link_ti].id, "minerals", "minerals links to the minerals register");
    c = &t->cols[table_col(t, "district")];
    is_str(s->tables[c->link_ti].id, "districts", "district links to districts");
    is_str(s->tables[c->link_ti].cols[c->link_ci].id, "short_name", "... by short name");

    const table *b = schema_table(s, "exploration_blocks");
    c = &b->cols[table_col(b, "area_code")];
    ok(c->link_ti >= 0 && s->tables[c->link_ti].id == t->id, "blocks link to key areas");
    const table *p = schema_table(s, "mining_permits");
    c = &p->cols[table_col(p, "block")];
    is_str(s->tables[c->link_ti].id, "mining_blocks", "mining permits link to mining blocks");
    const table *m = schema_table(s, "min_scales");
    c = &m->cols[m->key_ci];
    is_str(s->tables[c->link_ti].id, "minerals", "minimum scales link to minerals");

    /* every link in the schema resolves */
    int bad = 0;
    for (int i = 0; i < s->ntables; i++)
        for (int j = 0; j < s->tables[i].ncols; j++) {
            const column *x = &s->tables[i].cols[j];
            if (*x->link_tbl && (x->link_ti < 0 || x->link_ci < 0)) {
                printf("# unresolved link %s.%s\n", s->tables[i].id, x->id);
                bad++;
            }
        }
    is_int(bad, 0, "every link resolves to a register and column");

    buf h = BUF_INIT;
    col_format(&t->cols[4], "89.46", &h);
    is_str(buf_str(&h), "89.4600", "areas show with their 4 decimals");
    buf_reset(&h);
    col_header(&t->cols[4], &h);
    is_str(buf_str(&h), "面积(平方公里)", "header with unit");
    buf_free(&h);

    ok(list_has("铌矿;钽矿;稀土矿", "钽矿"), "list_has finds a middle item");
    ok(!list_has("铌矿;钽矿;稀土矿", "钽"), "list_has needs the whole item");

    int totals = 0;
    for (int i = 0; i < s->ntotals; i++)
        if (strcmp(s->totals[i].tbl, "exploration_areas") == 0 &&
            strcmp(s->totals[i].measure, "sum") == 0 && s->totals[i].value == 3548.4861)
            totals++;
    is_int(totals, 1, "the plan's stated total for key exploration areas is recorded");

    db_close(d);
    buf_free(&path);
    return tap_done();
}
