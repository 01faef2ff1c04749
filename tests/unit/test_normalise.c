/* test_normalise.c — the Excel habits undone (normalise.c) and a workbook's
 * numbers and serial dates as text (wb.c). */
#include "config.h"
#include <string.h>

#include "core/normalise.h"
#include "core/wbin.h"
#include "tap.h"

void wb_date_text(double d, int d1904, char out[32]);
void wb_num_text(double v, char out[64]);

static column cols[4];
static table t;

/* the value as normalised ("=" when it stays) and its kinds */
static const char *norm(int ci, const char *s, unsigned *kinds)
{
    static buf out = BUF_INIT;
    *kinds = 0;
    return norm_cell(&t, ci, s, &out, kinds) ? buf_str(&out) : "=";
}

int main(void)
{
    const char *ids[] = {"name", "area", "from", "code"};
    col_type types[] = {COL_TEXT, COL_DEC, COL_DATE, COL_TEXT};
    for (int i = 0; i < 4; i++)
        cols[i] = (column){.id = (char *)ids[i], .label = (char *)ids[i], .enum_s = "",
                           .pattern = i == 3 ? "^T\\d+$" : "", .type = types[i], .range = "",
                           .not_before = ""};
    t = (table){.id = "t", .cols = cols, .ncols = 4, .key_ci = 0};
    unsigned k;
    is_str(norm(0, "宽甸县", &k), "=", "a plain value stays");
    is_str(norm(0, " 宽甸县  ", &k), "宽甸县", "spaces trimmed");
    is_int(k, 1u << NORM_SPACE, "... counted as spaces");
    is_str(norm(0, "\t=1", &k), "=", "a TAB is kept (export -> import gives it back)");
    is_str(norm(0, "\u3000宽甸 县\u00a0", &k), "宽甸 县", "U+3000 and NBSP trimmed, the space inside kept");
    is_str(norm(1, "１２．５", &k), "12.5", "full-width digits and point in a number");
    is_int(k, 1u << NORM_WIDTH, "... counted as full-width");
    is_str(norm(1, "－３", &k), "-3", "a full-width minus");
    is_str(norm(3, "Ｔ２１", &k), "T21", "full-width letters and digits in a code");
    is_str(norm(0, "Ｔ２１", &k), "T21", "... and in the key");
    t.key_ci = 1;
    is_str(norm(0, "Ｔ２１", &k), "=", "free text that is not the key keeps full-width characters");
    t.key_ci = 0;
    is_str(norm(2, "2019/5/1", &k), "2019-05-01", "2019/5/1");
    is_int(k, 1u << NORM_DATE, "... counted as a date");
    is_str(norm(2, "2019-5-1", &k), "2019-05-01", "2019-5-1");
    is_str(norm(2, "2019.05.01", &k), "2019-05-01", "2019.05.01");
    is_str(norm(2, "2019年5月1日", &k), "2019-05-01", "2019年5月1日");
    is_str(norm(2, "20190501", &k), "2019-05-01", "20190501");
    is_str(norm(2, "43586", &k), "2019-05-01", "a serial number (1900 system)");
    is_str(norm(2, "59", &k), "1900-02-28", "a serial before Lotus's 29 February");
    is_str(norm(2, "61", &k), "1900-03-01", "... and after it");
    is_str(norm(2, "2019/5/1 0:00", &k), "2019-05-01", "a midnight time after it");
    is_str(norm(2, "2019/5/1 8:30", &k), "=", "a time that is not midnight is left to the validator");
    is_str(norm(2, "2019-05-01", &k), "=", "YYYY-MM-DD stays");
    is_str(norm(2, "2019/13/1", &k), "=", "no month 13: left as written");
    is_str(norm(2, " ２０１９/5/1 ", &k), "2019-05-01", "all three at once");
    is_int(k, (1u << NORM_SPACE) | (1u << NORM_WIDTH) | (1u << NORM_DATE), "... each kind counted");
    is_str(norm(1, "1,5", &k), "=", "a comma is not made a point");

    char s[64];
    wb_num_text(199.879, s);
    is_str(s, "199.879", "a number at 15 significant digits");
    wb_num_text(0.1 + 0.2, s);
    is_str(s, "0.3", "0.30000000000000004 as Excel shows it");
    wb_num_text(1234567890123456789.0, s);
    is_str(s, "1234567890123460000", "a long number: 15 digits, no exponent");
    wb_num_text(-0.00005, s);
    is_str(s, "-0.00005", "small: no exponent");
    wb_num_text(3, s);
    is_str(s, "3", "a whole number");
    char d[32];
    wb_date_text(43586, 0, d);
    is_str(d, "2019-05-01", "serial 43586, 1900 system");
    wb_date_text(42124, 1, d);
    is_str(d, "2019-05-01", "serial 42124, 1904 system");
    wb_date_text(1, 0, d);
    is_str(d, "1900-01-01", "serial 1 is 1900-01-01");
    wb_date_text(43586.5, 0, d);
    is_str(d, "2019-05-01 12:00:00", "with a time");
    char c[4];
    wb_col_name(0, c);
    is_str(c, "A", "column A");
    wb_col_name(27, c);
    is_str(c, "AB", "column AB");
    wb_col_name(16383, c);
    is_str(c, "XFD", "Excel's last column");
    return tap_done();
}
