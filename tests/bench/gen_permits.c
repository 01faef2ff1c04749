/* gen_permits.c — a synthetic mining-permit register (附表11) as CSV, for the
 * benchmark.  Deterministic: its own random generator, no clock, so every
 * run and every machine gets the same bytes.
 *
 *   gen_permits N [FIRST_ID] > permits.csv
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
static const char *const districts[] = {"元宝区", "振兴区", "振安区", "宽甸县", "东港市", "凤城市"};
static const char *const units[] = {"万吨/年", "万立方米/年", "吨/年"};

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    long first = argc > 2 ? atol(argv[2]) : 1001;
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    fputs("序号,采矿许可证号,采矿权人,矿山名称,开采矿种,开采方式,生产规模,规模单位,矿山规模,"
          "登记面积(平方公里),开采标高上限(米),开采标高下限(米),有效期起,有效期止,生产状态,"
          "发证机关,开采规划区块,所在重点开采区,所在行政区,备注\n", stdout);
    for (long i = 0; i < n; i++) {
        const char *place = PICK(places), *m1 = PICK(minerals);
        int y = 2010 + (int)(rnd() % 12), mo = 1 + (int)(rnd() % 12), dd = 1 + (int)(rnd() % 28);
        int bottom = (int)(rnd() % 600) - 300, top = bottom + 10 + (int)(rnd() % 400);
        printf("%ld,C210600%04d%02d%010ld,%s%s%s,%s%s%s,", first + i, y, mo, i, PICK(places),
               PICK(places), PICK(firms), place, m1, rnd() % 3 ? "矿" : "采区");
        if (rnd() % 5 == 0)
            printf("%s;%s,", m1, strcmp(m1, "银矿") == 0 ? "金矿" : "银矿");
        else
            printf("%s,", m1);
        printf("%s,%u.%u,%s,%s,%u.%04u,%d,%d,", PICK(methods), 1 + rnd() % 300, rnd() % 10,
               PICK(units), PICK(sizes), rnd() % 20, 1 + rnd() % 9999, top, bottom);
        printf("%04d-%02d-%02d,%04d-%02d-%02d,%s,%s,,", y, mo, dd, y + 3 + (int)(rnd() % 10), mo, dd,
               PICK(statuses), PICK(issuers));
        unsigned k = rnd() % 8;
        printf("%s,%s,", k < 2 ? (k ? "CZ21060000001" : "CZ21060000002") : "", PICK(districts));
        switch (rnd() % 8) {
        case 0: printf("\"整合后范围, 含原%s采区, 见\"\"整合方案\"\"第%u条\"\n", place, 1 + rnd() % 30); break;
        case 1: printf("\"%s\n换证: %d年\"\n", PICK(places), y + 1); break;
        case 2: case 3: printf("规划基期（第八章）序号%ld\n", i % 97); break;
        default: putchar('\n');
        }
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
