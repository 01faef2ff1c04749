/* check_geo.h — the spatial rules of check (geo_rules.c): their entries in
 * check.c's one rule table (CHECK_GEO_RULES) and their functions. */
#ifndef MINREG_CHECK_GEO_H
#define MINREG_CHECK_GEO_H

#include "check.h"

/* The safe distance of a 集中开采区 from non-sand mineral rights when the
 * register sets none (minreg_meta geo_sand_distance_m). */
#define GEO_SAND_DISTANCE_M 300.0

struct check_ctx;
void rule_geo_shape(struct check_ctx *c, const check_rule *r);
void rule_geo_area(struct check_ctx *c, const check_rule *r);
void rule_geo_overlap(struct check_ctx *c, const check_rule *r);   /* arg 0: permits; 1: sand × key area */
void rule_geo_inside(struct check_ctx *c, const check_rule *r);    /* arg 0: in its block; 1: in its key area */
void rule_geo_holders(struct check_ctx *c, const check_rule *r);
void rule_geo_sand_new(struct check_ctx *c, const check_rule *r);
void rule_geo_sand_near(struct check_ctx *c, const check_rule *r);
void rule_geo_layer(struct check_ctx *c, const check_rule *r);
void check_geo_free(struct check_ctx *c);
/* The configured safe distance (metres); *failed set when the register
 * could not be read (e filled). */
double check_geo_sand_distance(db *d, mr_err *e, int *failed);

/* The rows of check.c's rule table: "" tables = every register with a
 * boundary (the functions skip the others). */
#define CHECK_GEO_RULES                                                                            \
    {"R-GEO-SHAPE", SEV_ERROR, "面积计算统一方法通知",                         \
     "登记的边界须为合格多边形：闭合、不少于 3 个不同点、不自相交、无重复点、带号与坐标相符（精度 0.01 米、X/Y 顺序在读入时检查）", \
     "A stored boundary is a proper polygon: closed, 3 or more distinct points, not crossing "     \
     "itself, no point twice, its zone prefix fitting (0.01 m precision and X/Y order are checked " \
     "when a file is read)",                                                                       \
     rule_geo_shape, 0, ""},                                                                       \
    {"R-GEO-AREA", SEV_ERROR, "TD/T 1055-2019 附录",                  \
     "边界按官方椭球方法（反算大地坐标、椭球梯形求和）计算的面积与登记面积至平方公里第 4 位小数一致",                                    \
     "The boundary's official ellipsoidal area equals the registered 面积 to the 4th decimal (km²)", \
     rule_geo_area, 0, ""},                                                                        \
    {"R-GEO-OVERLAP", SEV_ERROR, "第五章第四节、第六章第五节",                 \
     "矿业权范围互不重叠（同类及探矿权与采矿权之间），列出重叠面积",                                 \
     "Permits do not overlap, of one kind or across kinds; with the overlap's area",               \
     rule_geo_overlap, 0, ""},                                                                     \
    {"R-GEO-IN-BLOCK", SEV_ERROR, "第五章第四节、第六章第五节",              \
     "矿业权位于其所属规划区块之内（投放矿业权应以规划区块为依据）", "A permit lies inside its planning block",                      \
     rule_geo_inside, 0, ""},                                                                      \
    {"R-GEO-IN-AREA", SEV_ERROR, "第五章第三节、第六章第三节",                 \
     "规划区块（及矿业权）位于其所属重点区之内（围绕重点区设置规划区块）",                                                     \
     "A planning block (or permit) lies inside its key area",                                      \
     rule_geo_inside, 1, ""},                                                                      \
    {"R-GEO-HOLDERS", SEV_ERROR, "第五章第四节、第六章第五节",             \
     "原则上一个区块只设立一个勘查（开采）主体（按关联与边界）",                                             \
     "One holder per planning block (by link and by boundary)",                                    \
     rule_geo_holders, 0, ""},                                                                     \
    {"R-GEO-SAND-KEY", SEV_ERROR, "第六章第六节",              \
     "集中开采区原则上不得与市级以上重点勘查开采区域重叠",                                             \
     "A 集中开采区 does not overlap a 市级以上 key exploration or mining area",                     \
     rule_geo_overlap, 1, ""},                                                                     \
    {"R-GEO-SAND-NEW", SEV_WARNING, "第六章第六节",        \
     "新立普通建筑用砂石采矿权原则上均应分布在集中开采区内", "A new sand and gravel permit lies inside a 集中开采区",   \
     rule_geo_sand_new, 0, ""},                                                                    \
    {"R-GEO-SAND-NEAR", SEV_WARNING, "第六章第六节",                 \
     "集中开采区与现有非普通建筑用砂石土矿业权保持一定安全距离（minreg layer distance，缺省 300 米）",     \
     "A 集中开采区 keeps the safe distance from non-sand permits (minreg layer distance; "          \
     "300 m unless set)",                                                     \
     rule_geo_sand_near, 0, ""},                                                                   \
    {"R-GEO-LAYER", SEV_ERROR, "第六章第六节；三条控制线",                 \
     "符合三条控制线及禁止、限制勘查开采区域的管控：边界不与导入的管控图层（生态保护红线、永久基本农田、城镇开发边界等）重叠，列出重叠面积",       \
     "A boundary does not overlap an imported restriction layer (生态保护红线, 永久基本农田, "       \
     "城镇开发边界, …); with the overlap's area",                                                   \
     rule_geo_layer, 0, ""},

#endif
