/* check.c — the rule table and the run that collects findings (see check.h).
 *
 * Severity: an error is a place where the register contradicts the plan or
 * breaks one of its rules, so that a report built from it would print a
 * figure the plan disagrees with, or a permit stands against the plan.  A
 * warning needs a clerk's look but may be right: rows the plan counts that
 * are not entered yet, expected (预期性) targets not met, expired permits,
 * restrictions that admit exceptions.  `minreg check` exits 1 on errors.
 */
#include "config.h"
#include "check_rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_geo.h"
#include "i18n.h"

static void rule_integrity(check_ctx *c, const check_rule *r);
static void rule_schema(check_ctx *c, const check_rule *r);
static void rule_history(check_ctx *c, const check_rule *r);

const check_rule check_rules[] = {
    /* ---- the file: sound, and made by minreg (`minreg check` only) ---- */
    {"R-INTEGRITY", SEV_ERROR, "SQLite",
     "登记簿文件完好（PRAGMA quick_check；--full：integrity_check）",
     "The register file is sound (PRAGMA quick_check; --full: integrity_check)",
     rule_integrity, 0, ""},
    {"R-SCHEMA", SEV_ERROR, "minreg",
     "登记簿的表、索引、触发器和视图均为 minreg 所建（否则只读打开）",
     "Every table, index, trigger and view of the register is one minreg made (else it opens read-only)",
     rule_schema, 0, ""},
    {"R-HISTORY", SEV_ERROR, "第九章（变更可追溯）",
     "历史记录与其链式摘要一致，每一行都与历史所记相符（minreg verify）",
     "The history matches its chained digests and every row is what the history says (minreg verify)",
     rule_history, 0, ""},

    /* ---- fields: the schema's rules, through the one validation path.
     * (Uniqueness has no rule: the validator holds unique exactly the
     * columns SQLite's own UNIQUE indexes enforce, so a register cannot
     * break it.) ---- */
    {"R-REQUIRED", SEV_ERROR, "规划附表（DZ/T 0226）",
     "必填字段均已填写", "Required fields are filled in",
     rule_fields, FIELD(VI_REQUIRED), ""},
    {"R-VALUE", SEV_ERROR, "规划附表（DZ/T 0226）",
     "字段值符合其类型（数、日期、年份）并属于其取值（如 大型|中型|小型）",
     "Values are of their column's type (number, date, year) and among its allowed values",
     rule_fields, FIELD(VI_TYPE) | FIELD(VI_ENUM) | FIELD(VI_INVISIBLE), ""},
    {"R-FORMAT", SEV_ERROR, "专栏二、三、七、八 编号；许可证号",
     "编号和许可证号须符合规定格式（如 KZ + 6 位行政区代码 + 5 位序号）",
     "Codes and permit numbers have their prescribed form (e.g. KZ + 6-digit admin code + 5-digit serial)",
     rule_fields, FIELD(VI_PATTERN), ""},
    {"R-AREA-POS", SEV_ERROR, "附表1–11 面积",
     "面积须大于 0", "Areas are greater than 0",
     rule_fields, FIELD(VI_RANGE) | FIELD_AREA, ""},
    {"R-RANGE", SEV_ERROR, "规划附表（DZ/T 0226）",
     "数值须在其范围内（年份、经纬度、规模、个数）",
     "Numbers are within their range (years, coordinates, scales, counts)",
     rule_fields, FIELD(VI_RANGE), ""},
    {"R-LINK", SEV_ERROR, "附表间关联（矿种、行政区、重点区、区块）",
     "引用的矿种、行政区、重点区或区块须存在",
     "A referenced mineral, district, key area or block exists",
     rule_fields, FIELD(VI_LINK), ""},
    {"R-ORDER", SEV_ERROR, "附表3、5、10、11",
     "有效期止不早于有效期起（投放年度、开采标高同理）",
     "Valid-to is not before valid-from (likewise release years and elevations)",
     rule_fields, FIELD(VI_ORDER), ""},

    /* ---- figures the plan's text states ---- */
    {"R-TOTAL-ROWS", SEV_WARNING, "规划正文所述个数与合计",
     "登记簿录入了规划所述的全部行（否则为未录入）",
     "The register holds every row the plan counts (else: rows not entered)",
     rule_total_rows, 0, ""},
    {"R-TOTAL-COUNT", SEV_ERROR, "规划正文所述个数与合计",
     "登记簿的行数不多于规划所述", "The register holds no more rows than the plan states",
     rule_total_count, 0, ""},
    {"R-TOTAL-SUM", SEV_ERROR, "规划正文所述个数与合计",
     "各行之和（如面积）须等于规划所述合计",
     "The rows' sum (e.g. of areas) equals the total the plan states",
     rule_total_sum, 0, ""},
    {"R-BLOCK-SUMMARY", SEV_ERROR, "第五章第四节",
     "各矿产类别的勘查规划区块数量和面积须与区块汇总表一致",
     "Exploration blocks per mineral category agree with the block summary in count and area",
     rule_block_summary, 0, "block_summary"},
    {"R-AREA-PERMITS", SEV_WARNING, "专栏三、专栏七 已设矿权数量",
     "重点区的已设矿权均已录入登记簿并关联到该区",
     "A key area's existing permits (已设矿权数量) are in the register, linked to it",
     rule_area_permits, 0, "exploration_areas,mining_areas"},
    {"R-AREA-PLANNED", SEV_ERROR, "专栏三、专栏七 拟设矿权数量",
     "属于重点区的矿业权不得多于已设与拟设矿权数量之和",
     "A key area has no more permits than its existing plus planned permits",
     rule_area_planned, 0, "exploration_areas,mining_areas"},

    /* ---- extraction quotas ---- */
    {"R-QUOTA-INDICATOR", SEV_WARNING, "专栏一；第六章第一节",
     "各县（市）开采控制量之和应等于专栏一的年开采总量",
     "County quotas of a mineral add up to 专栏一's annual extraction total",
     rule_quota_indicator, 0, "quotas,indicators"},
    {"R-QUOTA-BINDING", SEV_ERROR, "第六章第一节（约束性）",
     "约束性开采总量不得超出（县（市）控制量之和、采矿权生产规模）",
     "A binding (约束性) quota is not exceeded, by county quotas or by licensed production",
     rule_quota_binding, 0, "quotas,indicators"},

    /* ---- minimum mining scales ---- */
    {"R-MIN-SCALE", SEV_ERROR, "专栏六（第六章第二节）",
     "矿山生产规模不得低于其矿种和规模类型的最低开采规模（含备注中的露天开采、其它石灰岩、隐晶质石墨等规定）",
     "A mine's scale reaches the minimum for its mineral and size class, including the notes' "
     "second rules (open-pit, other limestone, cryptocrystalline graphite)",
     rule_min_scale, 0, "mining_permits,mining_blocks"},
    {"R-SCALE-FORBIDDEN", SEV_ERROR, "专栏六 注“×”",
     "禁止新建（改扩建）“×”类矿山（如建筑用砂石小型、岩金露天小型）",
     "No new (or expanded) mine of a class marked × (small sand and gravel, small open-pit gold)",
     rule_scale_forbidden, 0, "mining_permits,mining_blocks"},
    {"R-SCALE-UNIT", SEV_WARNING, "专栏六",
     "生产规模的单位须能与最低开采规模的单位比较",
     "The production scale's unit can be compared with the minimum scale's unit",
     rule_scale_unit, 0, "mining_permits,mining_blocks"},

    /* ---- minerals: 第四章第一节二 勘查开采差别化管理 ---- */
    {"R-MINE-FORBIDDEN", SEV_ERROR, "第四章第一节二",
     "禁止开采的矿种（蓝石棉、可耕地的砖瓦用粘土）不得设矿业权或规划区块",
     "No permit or block for a mineral whose mining is forbidden (blue asbestos, brick clay on arable land)",
     rule_mineral_policy, POLICY_MINE_FORBIDDEN,
     "mining_permits,mining_blocks,exploration_permits,exploration_blocks"},
    {"R-MINE-RESTRICTED", SEV_WARNING, "第四章第一节二",
     "限制开采的矿种（湿地泥炭、砂金等重砂矿物）的采矿权和开采规划区块需审核",
     "Mining permits and blocks for restricted minerals (wetland peat, placer gold) need review",
     rule_mineral_policy, POLICY_MINE_RESTRICTED, "mining_permits,mining_blocks"},
    {"R-EXPLORE-RESTRICTED", SEV_WARNING, "第四章第一节二；第五章第四节",
     "原则上限制勘查的矿种（菱镁矿）：除资源整合外不再新设勘查规划区块",
     "Exploration of restricted minerals (magnesite): no new blocks except for resource integration",
     rule_mineral_policy, POLICY_EXPLORE_RESTRICTED, "exploration_permits,exploration_blocks"},

    /* ---- permits ---- */
    {"R-EXPIRED", SEV_WARNING, "附表10、附表11 有效期",
     "许可证在有效期内", "Permits are within their validity",
     rule_expired, 0, ""},
    {"R-RENEWAL", SEV_WARNING, "矿产资源开采登记管理办法 第七条",
     "有效期届满 30 日前申请延续：已过期未延续或注销、应即申请延续、延续申请迟于届满前 30 日",
     "An extension (延续) is filed at least 30 days before expiry: expired with no extension or "
     "cancellation, inside the 30 days, or an extension filed late",
     rule_renewal, 0, ""},

    /* ---- 2025 targets ---- */
    {"R-TARGET-MINES", SEV_INFO, "专栏一；第三章第二节",
     "矿山数量与 2025 年规划目标（320 个）对照", "The number of mines beside the 2025 target (320)",
     rule_target_mines, 0, "indicators"},
    {"R-TARGET-SHARE", SEV_INFO, "专栏一；第六章第二节三",
     "大中型矿山比例与 2025 年规划目标（12%）对照", "The share of large and medium mines beside the 2025 target (12%)",
     rule_target_share, 0, "indicators"},

    /* ---- boundaries (issue 17; check_geo.h, geo_rules.c) ---- */
    CHECK_GEO_RULES
};
const int ncheck_rules = sizeof check_rules / sizeof *check_rules;

const char *check_rule_desc(const check_rule *r) { return i18n_is_zh() ? r->desc_zh : r->desc_en; }

const char *check_severity_id(check_severity s)
{
    return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "info";
}

const char *check_severity_name(check_severity s)
{
    return s == SEV_ERROR ? _("error") : s == SEV_WARNING ? _("warning") : _("info");
}

const check_rule *check_rule_find(const char *id)
{
    for (int i = 0; i < ncheck_rules; i++)
        if (strcmp(check_rules[i].id, id) == 0)
            return &check_rules[i];
    return NULL;
}

void check_today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---- what rule functions share ------------------------------------------ */

const table *ctx_table(const check_ctx *c, const char *id)
{
    for (int i = 0; i < c->s->ntables; i++)
        if (strcmp(c->s->tables[i].id, id) == 0)
            return &c->s->tables[i];
    return NULL;
}

int ctx_wants(const check_ctx *c, const table *t, const table *also)
{
    return c->want[schema_table_index(c->s, t)] ||
           (also && c->want[schema_table_index(c->s, also)]);
}

int ctx_rule_has(const check_rule *r, const table *t)
{
    if (!*r->tables)
        return 1;
    size_t n = strlen(t->id);
    for (const char *p = r->tables; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, t->id, n) == 0)
            return 1;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

static void ctx_vadd(check_ctx *c, const check_rule *r, const table *t, int64_t rowid, const char *key,
                     int ci, const table *also, int64_t also_rowid, const char *src, const char *fmt,
                     va_list ap)
{
    if (t && !ctx_wants(c, t, also))
        return;
    check_result *res = c->res;
    finding one, *f = &one;
    if (!c->o->emit) {
        if (res->n == res->cap) {
            res->cap = res->cap ? res->cap * 2 : 32;
            res->f = xrealloc(res->f, sizeof *res->f * (size_t)res->cap);
        }
        f = &res->f[res->n++];
    }
    buf b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    f->rule = r;
    f->ti = t ? schema_table_index(c->s, t) : -1;
    f->rowid = rowid;
    f->key = xstrdup(key ? key : "");
    f->ci = ci;
    f->also_ti = also ? schema_table_index(c->s, also) : -1;
    f->also_rowid = also ? also_rowid : -1;
    f->source = src ? src : r->source;   /* schema strings live as long as the db */
    f->msg = b.s ? buf_steal(&b) : xstrdup("");
    if (r->sev == SEV_ERROR)
        res->errors++;
    else if (r->sev == SEV_WARNING)
        res->warnings++;
    else
        res->infos++;
    if (f == &one) {
        c->o->emit(c->o->emit_arg, f);
        free(one.key);
        free(one.msg);
    }
}

void ctx_add(check_ctx *c, const check_rule *r, const table *t, int64_t rowid, const char *key,
             int ci, const table *also, const char *src, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ctx_vadd(c, r, t, rowid, key, ci, also, -1, src, fmt, ap);
    va_end(ap);
}

void ctx_add_other(check_ctx *c, const check_rule *r, const table *t, int64_t rowid, const char *key,
                   int ci, const table *other, int64_t other_rowid, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ctx_vadd(c, r, t, rowid, key, ci, other, other_rowid, NULL, fmt, ap);
    va_end(ap);
}

/* ---- the file ------------------------------------------------------------ */

static void integrity_found(void *arg, const char *msg)
{
    check_ctx *c = arg;
    ctx_add(c, &check_rules[0], NULL, -1, NULL, -1, NULL, NULL, "%s", msg);
}

static void rule_integrity(check_ctx *c, const check_rule *r)
{
    (void)r;
    if (c->o->integrity && db_integrity(c->d, c->o->integrity > 1, integrity_found, c, c->e) < 0)
        c->failed = 1;
}

static void rule_schema(check_ctx *c, const check_rule *r)
{
    const char *const *items;
    int n = c->o->schema ? db_schema_problems(c->d, &items) : 0;
    for (int i = 0; i < n; i++)
        ctx_add(c, r, NULL, -1, NULL, -1, NULL, NULL, _("%s (the register is open read-only)"),
                items[i]);
    if (c->o->schema && db_schema_note(c->d))
        ctx_add(c, r, NULL, -1, NULL, -1, NULL, NULL, "%s", db_schema_note(c->d));
}

static int history_found(void *arg, const db_finding *f)
{
    check_ctx *c = arg;
    const check_rule *r = &check_rules[2];
    const table *t = f->tbl ? ctx_table(c, f->tbl) : NULL;
    if (t && !ctx_wants(c, t, NULL))
        return 0;
    ctx_add(c, r, t, -1, f->key, t && f->field ? table_col(t, f->field) : -1, NULL, NULL, "%s",
            f->msg);
    return 0;
}

/* R-HISTORY: what `minreg verify` finds (db_verify.c) */
static void rule_history(check_ctx *c, const check_rule *r)
{
    (void)r;
    db_verify_result res;
    if (c->o->integrity && db_verify(c->d, NULL, history_found, c, &res, c->e) < 0)
        c->failed = 1;
}

void ctx_row_key(const table *t, cursor *cur, buf *out)
{
    col_format(&t->cols[t->key_ci], cursor_val(cur, t->key_ci), out);
}

void ctx_fail(check_ctx *c, const table *t, const char *what)
{
    if (c->failed)
        return;
    c->failed = 1;
    err_set(c->e, EXIT_DB, _("%s: cannot read %s: %s"), db_path(c->d), t ? t->id : "", what);
}

/* ---- the run ----------------------------------------------------------------- */

int check_run(db *d, const check_opts *o, check_result *out, mr_err *e)
{
    check_ctx c = {0};
    c.d = d;
    c.s = db_schema(d);
    c.o = o;
    c.res = out;
    c.e = e;
    c.want = xcalloc((size_t)c.s->ntables, 1);
    for (int i = 0; i < c.s->ntables; i++)
        c.want[i] = o->tables == NULL;
    for (int i = 0; o->tables && i < o->ntables; i++)
        c.want[schema_table_index(c.s, o->tables[i])] = 1;
    for (int i = 0; i < ncheck_rules && !c.failed; i++)
        check_rules[i].fn(&c, &check_rules[i]);
    check_fields_free(&c);
    check_scale_free(&c);
    check_geo_free(&c);
    free(c.want);
    return c.failed ? -1 : 0;
}

void check_result_free(check_result *r)
{
    for (int i = 0; i < r->n; i++) {
        free(r->f[i].key);
        free(r->f[i].msg);
    }
    free(r->f);
    memset(r, 0, sizeof *r);
}
