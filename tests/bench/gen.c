/* gen.c — SYNTHETIC registers as CSV, for the benchmark and the import-kill
 * test: mining and exploration permits (附表11, 附表10) linked to mining and
 * exploration planning blocks (附表5, 附表3), which link to the plan's key
 * areas.  Not the plan's data: names are made from Dandong place names,
 * numbers are random.  Deterministic: its own random generator, no clock,
 * so every run and every machine gets the same bytes.
 *
 *   gen [-t REGISTER] N [FIRST_ID] > file.csv
 *
 * REGISTER: mining_permits (default), exploration_permits, mining_blocks,
 * exploration_blocks.  The permits of an N-row file link to the blocks of
 * a blocks file generated with the same N (N/100 blocks, at least 10, codes
 * CK2106... and KK2106...): import the blocks first.  One permit in four
 * names a block; the rest have none, as permits issued before the plan.
 *
 * Headers are the Chinese labels an export writes; every value passes
 * minreg's validation (permit numbers unique and well-formed, minerals and
 * districts that exist, valid-to after valid-from, top above bottom); one
 * remark in eight holds commas, quotes or a line break, as clerks' do.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x2021202520212025ULL;

static uint32_t rnd(void)   /* xorshift64* */
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (uint32_t)((state * 0x2545F4914F6CDD1DULL) >> 32);
}

#define PICK(a) (a[rnd() % (sizeof a / sizeof *a)])

static const char *const places[] = {"元宝", "振兴", "振安", "宽甸", "东港", "凤城", "青城子",
                                     "五龙", "白云", "小佟家堡子", "错草湾子", "大石湖", "五道岭",
                                     "三岔子", "砬子沟", "沙岗沟", "黑沟", "九连城", "汤山城", "红石"};
static const char *const firms[] = {"矿业有限公司", "矿业有限责任公司", "石材有限公司",
                                    "建材有限公司", "黄金矿业有限公司", "硼业有限公司"};
static const char *const minerals[] = {"金矿", "铁矿", "硼矿", "滑石", "菱镁矿", "建筑用花岗岩",
                                       "建筑用砂石", "石墨", "铜矿", "锌矿", "银矿", "钼矿",
                                       "石灰岩", "高岭土", "饰面用花岗岩", "玉石"};
static const char *const methods[] = {"露天开采", "地下开采", "露天-地下联合开采"};
static const char *const sizes[] = {"大型", "中型", "小型", "小型", "小型"};
static const char *const statuses[] = {"生产", "停产", "筹建", "关闭"};
static const char *const issuers[] = {"部级", "省级", "市级", "县级"};
static const char *const stages[] = {"普查", "详查", "勘探"};
static const char *const districts[] = {"元宝区", "振兴区", "振安区", "宽甸县", "东港市", "凤城市"};
static const char *const units[] = {"万吨/年", "万立方米/年", "吨/年"};
static const char *const categories[] = {"贵金属矿产", "有色金属矿产", "冶金辅助原料非金属矿产",
                                         "建材及其它非金属矿产", "特种非金属矿产"};
static const char *const projects[] = {"普查", "详查", "勘探", "外围普查", "深部详查"};

static long nblocks(long n) { return n / 100 > 10 ? n / 100 : 10; }

/* a remark: empty, plain, or with a comma, quotes or a line break */
static void remark(const char *place, int y, long i)
{
    switch (rnd() % 8) {
    case 0: printf("\"整合后范围, 含原%s采区, 见\"\"整合方案\"\"第%u条\"\n", place, 1 + rnd() % 30); break;
    case 1: printf("\"%s\n换证: %d年\"\n", PICK(places), y + 1); break;
    case 2: case 3: printf("规划基期（第八章）序号%ld\n", i % 97); break;
    default: putchar('\n');
    }
}

/* a block of the blocks file generated with the same N, one time in four */
static void block_ref(const char *prefix, long n)
{
    if (rnd() % 4 == 0)
        printf("%s2106%07ld", prefix, (long)(rnd() % (uint32_t)nblocks(n)));
}

/* Every random value is drawn in its own statement, in order: the order
 * in which a call's arguments are evaluated is up to the compiler, and the
 * same bytes must come out of every build. */

/* a key mining area one time in (one_in / 2), else none */
static const char *cz_area(unsigned one_in)
{
    unsigned k = rnd() % one_in;
    return k < 2 ? (k ? "CZ21060000001" : "CZ21060000002") : "";
}

/* one of four key exploration areas 4 times in 13, else none */
static const char *kz_area(void)
{
    static const char *const kz[] = {"KZ21060000001", "KZ21060000004", "KZ21060000009",
                                     "KZ21060000013"};
    unsigned k = rnd() % 13;
    return k < 4 ? kz[k] : "";
}

/* an area in km² below `below`, with 4 decimals, and a comma */
static void area(unsigned below)
{
    unsigned whole = rnd() % below;
    printf("%u.%04u,", whole, 1 + rnd() % 9999);
}

/* a holder: two places and a kind of firm */
static void holder(void)
{
    const char *a = PICK(places), *b = PICK(places);
    printf("%s%s%s,", a, b, PICK(firms));
}

static void mining_permit(long i, long id, long n)
{
    const char *place = PICK(places), *m1 = PICK(minerals);
    int y = 2010 + (int)(rnd() % 12), mo = 1 + (int)(rnd() % 12), dd = 1 + (int)(rnd() % 28);
    int bottom = (int)(rnd() % 600) - 300, top = bottom + 10 + (int)(rnd() % 400);
    printf("%ld,C210600%04d%02d%010ld,", id, y, mo, i);
    holder();
    printf("%s%s%s,", place, m1, rnd() % 3 ? "矿" : "采区");
    if (rnd() % 5 == 0)
        printf("%s;%s,", m1, strcmp(m1, "银矿") == 0 ? "金矿" : "银矿");
    else
        printf("%s,", m1);
    printf("%s,", PICK(methods));
    unsigned scale = 1 + rnd() % 300;
    printf("%u.%u,", scale, rnd() % 10);
    printf("%s,", PICK(units));
    printf("%s,", PICK(sizes));
    area(20);
    printf("%d,%d,", top, bottom);
    printf("%04d-%02d-%02d,%04d-%02d-%02d,", y, mo, dd, y + 3 + (int)(rnd() % 10), mo, dd);
    printf("%s,", PICK(statuses));
    printf("%s,", PICK(issuers));
    block_ref("CK", n);
    printf(",%s,", cz_area(8));
    printf("%s,", PICK(districts));
    remark(place, y, i);
}

static void exploration_permit(long i, long id, long n)
{
    const char *place = PICK(places), *m1 = PICK(minerals);
    int y = 2012 + (int)(rnd() % 10), mo = 1 + (int)(rnd() % 12), dd = 1 + (int)(rnd() % 28);
    int kind = 1 + (int)(rnd() % 5);
    printf("%ld,T21%d%06ld0%u%06ld,", id, kind, i % 1000000, 1 + rnd() % 4, (i / 1000000) % 1000000);
    holder();
    printf("辽宁省丹东市%s%s%s,", place, m1, PICK(projects));
    printf("%s,%s,", m1, PICK(stages));
    area(60);
    printf("%04d-%02d-%02d,%04d-%02d-%02d,%s,", y, mo, dd, y + 5, mo, dd, PICK(issuers));
    block_ref("KK", n);
    printf(",%s,", kz_area());
    printf("%s,", PICK(districts));
    remark(place, y, i);
}

/* release years (from 2021-2024 to 2025), grant authority, district and
 * vertices (`points` corners), each with its comma */
static void block_tail(int points)
{
    printf("%d,2025,", 2021 + (int)(rnd() % 4));
    printf("%s,", PICK(issuers));
    printf("%s,\"", PICK(districts));
    for (int k = 0; k < points; k++) {
        unsigned x = 4400000 + rnd() % 100000;
        printf("%sX=%u, Y=%u", k ? "; " : "", x, 41000000 + rnd() % 100000);
    }
    printf("\",");
}

static void mining_block(long i)
{
    const char *place = PICK(places), *m1 = PICK(minerals);
    printf("CK2106%07ld,%s%s开采规划区块,%s,,%s,", i, place, m1, cz_area(4), m1);
    printf("%s,", PICK(methods));
    printf("%u,", 1 + rnd() % 100);
    printf("%s,", PICK(units));
    printf("%s,", PICK(sizes));
    area(5);
    block_tail(2);
    remark(place, 2021, i);
}

static void exploration_block(long i)
{
    const char *place = PICK(places), *m1 = PICK(minerals);
    printf("KK2106%07ld,%s%s勘查规划区块,%s,%s,", i, place, m1, kz_area(), m1);
    printf("%s,", PICK(categories));
    printf("%s,", PICK(stages));
    area(30);
    block_tail(1);
    remark(place, 2021, i);
}

int main(int argc, char **argv)
{
    const char *reg = "mining_permits";
    if (argc > 2 && strcmp(argv[1], "-t") == 0) {
        reg = argv[2];
        argc -= 2;
        argv += 2;
    }
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    long first = argc > 2 ? atol(argv[2]) : 1001;
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    if (strcmp(reg, "mining_permits") == 0) {
        fputs("序号,采矿许可证号,采矿权人,矿山名称,开采矿种,开采方式,生产规模,规模单位,矿山规模,"
              "登记面积(平方公里),开采标高上限(米),开采标高下限(米),有效期起,有效期止,生产状态,"
              "发证机关,开采规划区块,所在重点开采区,所在行政区,备注\n", stdout);
        for (long i = 0; i < n; i++)
            mining_permit(i, first + i, n);
    } else if (strcmp(reg, "exploration_permits") == 0) {
        fputs("序号,勘查许可证号,探矿权人,项目名称,矿种,勘查阶段,登记面积(平方公里),有效期起,"
              "有效期止,发证机关,勘查规划区块,所在重点勘查区,所在行政区,备注\n", stdout);
        for (long i = 0; i < n; i++)
            exploration_permit(i, first + i, n);
    } else if (strcmp(reg, "mining_blocks") == 0) {
        fputs("区块编号,区块名称,所在重点开采区,所在集中开采区,开采矿种,开采方式,规划开采规模,"
              "规模单位,矿山规模,面积(平方公里),投放起始年,投放截止年,出让登记权限,所在行政区,"
              "拐点坐标,备注\n", stdout);
        for (long i = 0; i < nblocks(n); i++)
            mining_block(i);
    } else if (strcmp(reg, "exploration_blocks") == 0) {
        fputs("区块编号,区块名称,所在重点勘查区,勘查矿种,矿产类别,勘查阶段,面积(平方公里),"
              "投放起始年,投放截止年,出让登记权限,所在行政区,拐点坐标,备注\n", stdout);
        for (long i = 0; i < nblocks(n); i++)
            exploration_block(i);
    } else {
        fprintf(stderr, "gen: unknown register %s\n", reg);
        return 2;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
