/* test_csvio.c — the CSV reader and writer: encodings, delimiters, quoting,
 * line numbers, chunk boundaries and every kind of bad input. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/csvio.h"
#include "tap.h"

static char dir[] = "/tmp/minreg-csvio-XXXXXX";

static const char *put(const char *name, const char *bytes, size_t n)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    fwrite(bytes, 1, n, f);
    fclose(f);
    return path;
}
#define PUT(name, lit) put(name, lit, sizeof lit - 1)

/* All records of a file as "line:f1|f2;line:..." or "ERR <msg>"; read
 * ahead on a thread (csvr_prefetch) when pf. */
static char *read_with(const char *path, const csv_opts *o, int pf)
{
    buf b = BUF_INIT;
    mr_err e = {0};
    csv_reader *r = csvr_open(path, o, &e);
    if (!r) {
        buf_printf(&b, "ERR %s", e.msg);
        return buf_steal(&b);
    }
    if (pf && csvr_prefetch(r, NULL, NULL) != 0)
        buf_puts(&b, "(no thread)");
    char **f;
    int nf, got;
    long line;
    while ((got = csvr_next(r, &f, &nf, &line, &e)) == 1) {
        buf_printf(&b, "%s%ld:", b.len ? ";" : "", line);
        for (int i = 0; i < nf; i++)
            buf_printf(&b, "%s%s", i ? "|" : "", f[i]);
    }
    if (got < 0) {
        buf_reset(&b);
        buf_printf(&b, "ERR %s", e.msg);
    }
    csvr_close(r);
    return buf_steal(&b);
}

/* Every file of these tests is read both ways: the thread changes nothing. */
static char *read_all(const char *path, const csv_opts *o)
{
    char *plain = read_with(path, o, 0), *ahead = read_with(path, o, 1);
    if (strcmp(plain, ahead) != 0) {
        buf b = BUF_INIT;
        buf_printf(&b, "read ahead differs: %s", ahead);
        free(ahead);
        free(plain);
        return buf_steal(&b);
    }
    free(ahead);
    return plain;
}

static void reads(const char *path, const csv_opts *o, const char *want, const char *desc)
{
    char *got = read_all(path, o);
    is_str(got, want, "%s", desc);
    free(got);
}

/* Does reading fail with a message containing want? */
static void fails(const char *path, const csv_opts *o, const char *want, const char *desc)
{
    char *got = read_all(path, o);
    ok(strncmp(got, "ERR ", 4) == 0 && strstr(got, want), "%s", desc);
    if (strncmp(got, "ERR ", 4) != 0 || !strstr(got, want))
        printf("#   got:  %s\n#   want: ERR ...%s...\n", got, want);
    free(got);
}

static char *slurp(const char *path)
{
    buf b = BUF_INIT;
    FILE *f = fopen(path, "rb");
    char chunk[4096];
    size_t n;
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    if (f)
        fclose(f);
    return buf_steal(&b);
}

/* Reading ahead: many batches, an error after them, an early stop. */
static void read_ahead(void)
{
    csv_opts any = {0};
    buf big = BUF_INIT, want = BUF_INIT;
    buf_puts(&big, "k,v\n");
    buf_puts(&want, "1:k|v");
    for (int i = 0; i < 5000; i++) {
        if (i == 2500) {   /* one long field: a batch ends on bytes, not records */
            buf_puts(&big, "long,\"");
            for (int k = 0; k < 300000; k++)
                buf_puts(&big, k % 100 == 99 ? "\n" : "x");
            buf_puts(&big, "\"\n");
            continue;
        }
        buf_printf(&big, "%d,\"v%d\nw\"\n", i, i);
    }
    const char *path = put("big.csv", buf_str(&big), big.len);
    char *plain = read_with(path, &any, 0), *ahead = read_with(path, &any, 1);
    size_t nrec = 1;
    for (const char *p = plain; *p; p++)
        nrec += *p == ';';
    ok(strcmp(plain, ahead) == 0 && strncmp(plain, "1:k|v;2:0|v0\nw;4:1|v1\nw;", 24) == 0 &&
       nrec == 5001 && strstr(plain, ";12999:4999|v4999\nw") != NULL,
       "5000 records over many batches: the same records and lines read ahead");
    free(plain);
    free(ahead);
    buf_puts(&big, "x,\"a\"b\n");   /* malformed after all of them */
    path = put("bigbad.csv", buf_str(&big), big.len);
    mr_err e2 = {0};
    csv_reader *r = csvr_open(path, &any, &e2);
    csvr_prefetch(r, NULL, NULL);
    char **f;
    int nf, got, n = 0;
    long line = 0;
    while ((got = csvr_next(r, &f, &nf, &line, &e2)) == 1)
        n++;
    ok(got == -1 && n == 5001 && strstr(e2.msg, "bigbad.csv:13001: field 2: malformed quotes"),
       "an error after 5001 records comes after them, with its line");
    if (!(got == -1 && n == 5001))
        printf("#   got %d after %d records: %s\n", got, n, e2.msg);
    ok(csvr_next(r, &f, &nf, &line, &e2) == 0, "... then nothing more");
    csvr_close(r);
    r = csvr_open(path, &any, &e2);
    csvr_prefetch(r, NULL, NULL);
    for (int i = 0; i < 10; i++)
        csvr_next(r, &f, &nf, &line, &e2);
    ok(strcmp(f[0], "8") == 0, "read ahead, then closed after 10 records");
    csvr_close(r);   /* the thread is stopped mid-file and joined */
    buf_free(&big);
    buf_free(&want);
}

/* Read path to its end ahead (a thread, as imports do), doing change()
 * to the file after the first record; then csvr_unchanged. */
static int read_changed(const char *path, void (*change)(const char *), mr_err *e)
{
    csv_opts any = {0};
    csv_reader *r = csvr_open(path, &any, e);
    csvr_prefetch(r, NULL, NULL);
    char **f;
    int nf, got, n = 0;
    long line;
    while ((got = csvr_next(r, &f, &nf, &line, e)) == 1)
        if (n++ == 0 && change)
            change(path);
    int rc = got < 0 ? -2 : csvr_unchanged(r, e);
    csvr_close(r);
    return rc;
}

static void cut(const char *path) { truncate(path, 300000); }
static void replace(const char *path)
{
    char other[300];
    snprintf(other, sizeof other, "%s.new", path);
    FILE *f = fopen(other, "wb");
    fputs("k,v\n1,2\n", f);
    fclose(f);
    rename(other, path);
}

/* A file changed while it is read (issue 14.9): each way is caught. */
static void changed_while_read(void)
{
    buf big = BUF_INIT;
    buf_puts(&big, "k,v\n");
    for (int i = 0; i < 40000; i++)   /* 600 KB: more than one read */
        buf_printf(&big, "%d,value %d\n", i, i);
    const char *path = put("grow.csv", buf_str(&big), big.len);
    char p[256];
    snprintf(p, sizeof p, "%s", path);
    mr_err e = {0};
    ok(read_changed(p, NULL, &e) == 0, "a file read to its end unchanged passes the check");
    put("grow.csv", buf_str(&big), big.len);
    ok(read_changed(p, cut, &e) == -1 && strstr(e.msg, "grow.csv: the file changed while it was "
                                                "being imported (its size went from") &&
       e.code == EXIT_DATA, "a file truncated while it is read ahead is caught (exit 3)");
    put("grow.csv", buf_str(&big), big.len);
    ok(read_changed(p, replace, &e) == -1 && strstr(e.msg, "another file is in its place"),
       "... and one renamed over while it is read");
    buf_free(&big);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    changed_while_read();
    csv_opts any = {0};

    /* ---- structure and line numbers ---- */
    reads(PUT("crlf.csv", "a,b\r\n1,2\r\n\r\n3,4\r\n"), &any, "1:a|b;2:1|2;4:3|4",
          "CRLF; a blank line is skipped and still counted");
    reads(PUT("nl.csv", "a,b\n\"x\ny\",\"say \"\"hi\"\"\"\n5,6"), &any,
          "1:a|b;2:x\ny|say \"hi\";4:5|6",
          "quoted newline and doubled quotes; the next record's line counts the newline");
    reads(PUT("sp.csv", "a,b\n x , y \n"), &any, "1:a|b;2: x | y ", "spaces around fields are kept");
    reads(PUT("empty.csv", "a,b,c\n,\"\",z\n"), &any, "1:a|b|c;2:||z", "empty fields");
    reads(PUT("tab.csv", "编号\t名称\n1\t甲,乙\n"), &any, "1:编号|名称;2:1|甲,乙",
          "tab detected from the header (commas in data stay data)");
    reads(PUT("semi.csv", "a;b\n1;2,5\n"), &any, "1:a|b;2:1|2,5", "semicolon detected");
    reads(PUT("sep.csv", "sep=;\na;b\n1;2\n"), &any, "2:a|b;3:1|2", "Excel's sep= line");
    csv_opts forced = {.delim = ';'};
    reads(PUT("forced.csv", "a,b;c\n"), &forced, "1:a,b|c", "a forced delimiter wins");
    csv_opts notes = {.skip_comments = 1};
    reads(PUT("notes.csv", "# source\n# more\nid,x\n1,2\n"), &notes, "3:id|x;4:1|2",
          "seed notes are skipped and counted");

    /* ---- encodings ---- */
    reads(PUT("bom.csv", "\xEF\xBB\xBF编号,名称\n1,金\n"), &any, "1:编号|名称;2:1|金",
          "UTF-8 BOM dropped");
    /* 编号,名称 / 1,"金,矿" in GB18030: B1E0 BAC5 2C C3FB B3C6 */
    reads(PUT("gb.csv", "\xB1\xE0\xBA\xC5,\xC3\xFB\xB3\xC6\n1,\"\xBD\xF0,\xBF\xF3\"\n"), &any,
          "1:编号|名称;2:1|金,矿", "GB18030 detected and transcoded before parsing");
    /* 丕 is 0xD8 0xA7 in GBK; a GBK trail byte can be '"' (0x22 never is, but
     * 0x5C '\\' and 0x7C '|' are): 表 B1 ED, 乗 81 5C */
    reads(PUT("gbtrail.csv", "a,b\n\x81\x5C,\x81\x7C\n"), &any, "1:a|b;2:乗|亅",
          "GBK trail bytes in the ASCII range stay inside their character");
    reads(PUT("u16.csv", "\xFF\xFE\x16\x7F\xF7\x53\t\x00x\x00\n\x00\x31\x00\t\x00\x32\x00\n\x00"),
          &any, "1:编号|x;2:1|2", "UTF-16LE with BOM, tab-separated (Excel's Unicode text)");
    reads(PUT("u16be.csv", "\xFE\xFF\x7F\x16\x00,\x00y\x00\n"), &any, "1:编|y", "UTF-16BE with BOM");
    csv_opts gb = {.enc = ENC_GB18030};
    reads(PUT("gbforced.csv", "\xB1\xE0\n"), &gb, "1:编", "--encoding gb18030");
    csv_reader *r = csvr_open(PUT("gb2.csv", "\xB1\xE0,x\n1,2\n"), NULL, NULL);
    char **f;
    int nf;
    mr_err e = {0};
    ok(r && csvr_next(r, &f, &nf, NULL, &e) == 1 && csvr_encoding(r) == ENC_GB18030 &&
           csvr_delim(r) == ',', "the reader reports the encoding and delimiter it found");
    csvr_close(r);

    /* A chunk boundary (256 KiB) falls inside multibyte characters, in
     * UTF-8 and in GB18030: nothing is lost or split. */
    buf big = BUF_INIT, bgb = BUF_INIT, want = BUF_INIT;
    buf_puts(&big, "a,b\n");
    buf_puts(&bgb, "a,b\n");
    buf_puts(&want, "1:a|b");
    for (int i = 0; i < 30000; i++) {
        buf_printf(&big, "%d,金矿矿\n", i);
        buf_printf(&bgb, "%d,\xBD\xF0\xBF\xF3\xBF\xF3\n", i);
        buf_printf(&want, ";%d:%d|金矿矿", i + 2, i);
    }
    reads(put("big.csv", big.s, big.len), &any, buf_str(&want), "UTF-8 across chunk boundaries");
    reads(put("biggb.csv", bgb.s, bgb.len), &any, buf_str(&want), "GB18030 across chunk boundaries");
    /* ASCII for longer than one chunk, then GB18030: detected late */
    buf_reset(&bgb);
    buf_puts(&bgb, "a,b\n");
    for (int i = 0; i < 30000; i++)
        buf_printf(&bgb, "%d,xxxxxx\n", i);
    buf_puts(&bgb, "9,\xBD\xF0\n");
    char *all = read_all(put("lategb.csv", bgb.s, bgb.len), &any);
    ok(strstr(all, ";30002:9|金") != NULL, "GB18030 that starts after 300 KB of ASCII");
    free(all);
    buf_free(&big);
    buf_free(&bgb);
    buf_free(&want);

    /* ---- bad input: each names the line (and byte offset) ---- */
    fails(PUT("badutf.csv", "编号,名称\n1,金\n2,\xE9\x87\x91\xFF\n"), &any,
          ":3: invalid UTF-8 at byte offset 25 (0xff)", "invalid UTF-8: line and byte offset");
    csv_opts u8 = {.enc = ENC_UTF8};
    fails(PUT("gbasu8.csv", "a\n\xB1\xE0\n"), &u8, ":2: invalid UTF-8 at byte offset 2",
          "GB18030 text read as forced UTF-8");
    fails(PUT("nul.csv", "a,b\n1,2\x00\n"), &any, ":2: a NUL byte at byte offset 7", "NUL byte");
    fails(PUT("midbom.csv", "a,b\n1,2\n\xEF\xBB\xBF" "a,b\n"), &any,
          ":3: a byte order mark (U+FEFF) at byte offset 8", "a BOM in the middle");
    fails(PUT("gbbom.csv", "a,b\n\xB1\xE0,\x84\x31\x95\x33\n"), &gb, ":2: a byte order mark",
          "a BOM in the middle of a transcoded file");
    fails(PUT("quote1.csv", "a,b\n1,x\"y\n"), &any, ":2: field 2: malformed quotes",
          "a quote inside an unquoted field");
    fails(PUT("quote2.csv", "a,b\n\"x\"y,1\n"), &any, ":2: field 1: malformed quotes",
          "text after a closing quote");
    fails(PUT("quote3.csv", "a,b\n1,\"open\n2,3\n"), &any, ":2: a quoted field is never closed",
          "a quote never closed");
    csv_opts small = {.max_field = 10};
    fails(PUT("long.csv", "a,b\n1,0123456789x\n"), &small, ":2: field 2 is longer than 10 bytes",
          "a field over the limit");
    buf huge = BUF_INIT;
    buf_puts(&huge, "a,b\n1,\"");
    for (int i = 0; i < 3 * 1024 * 1024 / 16; i++)
        buf_puts(&huge, "0123456789abcdef");
    fails(put("huge.csv", huge.s, huge.len), &any, ":2: field 2 is longer than 1048576 bytes",
          "an unclosed quote over 3 MB stops at the 1 MiB limit");
    buf_free(&huge);
    buf wide = BUF_INIT;
    buf_puts(&wide, "a\n");
    for (int i = 0; i < 20000; i++)
        buf_putc(&wide, ',');
    fails(put("wide.csv", wide.s, wide.len), &any, ":2: more than 16384 fields in one record",
          "a line of 20000 commas stops at 16384 fields");
    buf_free(&wide);
    fails(PUT("xlsx.csv", "PK\x03\x04 rest of a zip"), &any, "spreadsheet workbook",
          "an .xlsx renamed to .csv");
    fails(PUT("u16odd.csv", "\xFF\xFE\x61\x00\x62"), &any, "ends in the middle of a UTF-16LE character",
          "UTF-16 cut in the middle of a character");
    fails("/nonexistent/x.csv", &any, "No such file", "a file that does not exist");
    reads(PUT("zero.csv", ""), &any, "", "an empty file has no records");
    reads(PUT("bomonly.csv", "\xEF\xBB\xBF"), &any, "", "a file with only a BOM has no records");

    /* ---- writer ---- */
    char path[256];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    csvw_opts wo = {.crlf = 1, .bom = 1};
    csv_writer *w = csvw_open(path, &wo, &e);
    csvw_field(w, "编号");
    csvw_field(w, "a,b");
    csvw_field(w, "say \"hi\"");
    csvw_end(w);
    csvw_field(w, NULL);
    csvw_field(w, "line1\nline2");
    csvw_field(w, "457.2456");
    csvw_end(w);
    ok(csvw_close(w, &e) == 0, "writer closes");
    char *got = slurp(path);
    is_str(got, "\xEF\xBB\xBF编号,\"a,b\",\"say \"\"hi\"\"\"\r\n,\"line1\nline2\",457.2456\r\n",
           "RFC 4180 quoting, BOM and CRLF");
    free(got);
    reads(path, &any, "1:编号|a,b|say \"hi\";2:|line1\nline2|457.2456", "what it writes reads back");
    csvw_opts wg = {.enc = ENC_GB18030, .delim = '\t'};
    w = csvw_open(path, &wg, &e);
    csvw_field(w, "编号");
    csvw_field(w, "x");
    csvw_end(w);
    ok(csvw_close(w, &e) == 0, "GB18030 writer closes");
    got = slurp(path);
    is_str(got, "\xB1\xE0\xBA\xC5\tx\n", "GB18030 output, tab-separated");
    free(got);
    w = csvw_open(path, &wo, &e);
    csvw_field(w, "half");
    csvw_abort(w);
    got = slurp(path);
    is_str(got, "\xB1\xE0\xBA\xC5\tx\n", "an aborted write leaves the old file as it was");
    free(got);
    snprintf(path, sizeof path, "%s/nodir/out.csv", dir);
    ok(csvw_open(path, &wo, &e) == NULL && e.code == EXIT_IO, "an unwritable path is an I/O error");

    /* ---- Excel safety: the guarding apostrophe ---- */
    static const struct { const char *s; int numeric, guarded; } g[] = {
        {"=1+1", 0, 1}, {"+1", 0, 1}, {"-1", 0, 1}, {"@SUM(A1)", 0, 1}, {"\t=1", 0, 1},
        {"\r=1", 0, 1}, {"'=1", 0, 1}, {"'''@x", 0, 1}, {"-1.5", 1, 0}, {"+2", 1, 0},
        {"-1e5", 1, 0}, {"-.5", 1, 0}, {"-1.5x", 1, 1}, {"-", 1, 1}, {"-e5", 1, 1},
        {"'-1.5", 1, 1}, {"abc", 0, 0}, {"'abc", 0, 0}, {"'", 0, 0}, {"''", 0, 0},
        {"", 0, 0}, {"a=1", 0, 0}, {" =1", 0, 0}, {"1.5", 1, 0}, {"金矿", 0, 0},
    };
    int gok = 1;
    for (size_t i = 0; i < sizeof g / sizeof *g; i++)
        if (csv_cell_guarded(g[i].s, g[i].numeric) != g[i].guarded) {
            printf("# csv_cell_guarded(\"%s\", %d) != %d\n", g[i].s, g[i].numeric, g[i].guarded);
            gok = 0;
        }
    ok(gok, "guarded: = + - @ TAB CR after any apostrophes; valid numbers in number columns not");
    ok(!csv_cell_guarded(NULL, 0), "... NULL is not");
    /* what an import takes off is exactly what an export put on */
    int uok = 1;
    for (size_t i = 0; i < sizeof g / sizeof *g; i++) {
        buf x = BUF_INIT;
        buf_printf(&x, "%s%s", g[i].guarded ? "'" : "", g[i].s);
        size_t k = csv_cell_unguard(buf_str(&x), x.len);
        if (k != (size_t)(g[i].guarded ? 1 : 0)) {
            printf("# csv_cell_unguard(\"%s\") = %zu\n", buf_str(&x), k);
            uok = 0;
        }
        buf_free(&x);
    }
    ok(uok, "unguard undoes the guard and nothing else");
    csvw_opts wx = {0};
    snprintf(path, sizeof path, "%s/guard.csv", dir);
    w = csvw_open(path, &wx, &e);
    csvw_numeric(w, 1, 1);
    csvw_field(w, "=a,b");
    csvw_field(w, "-1.5");
    csvw_field(w, "-1.5");
    csvw_end(w);
    csvw_field(w, "'=x");
    csvw_field(w, "-x");
    csvw_field(w, "\t");
    csvw_end(w);
    ok(csvw_close(w, &e) == 0, "guarding writer closes");
    got = slurp(path);
    is_str(got, "\"'=a,b\",-1.5,'-1.5\n''=x,'-x,'\t\n",
           "the writer guards inside the quotes; a number column's number is left alone");
    free(got);
    reads(path, &any, "1:=a,b|-1.5|-1.5;2:'=x|-x|\t", "... and the reader takes the guards off");
    csv_opts raw = {.raw_cells = 1};
    reads(path, &raw, "1:'=a,b|-1.5|'-1.5;2:''=x|'-x|'\t", "... unless it reads raw cells");
    FILE *mf = fopen(put("cell.txt", "", 0), "w");
    csv_write_cell(mf, "=x\"y", ',', 1);
    putc('|', mf);
    csv_write_cell(mf, "@z", ',', 1);
    fclose(mf);
    snprintf(path, sizeof path, "%s/cell.txt", dir);
    got = slurp(path);
    is_str(got, "\"'=x\"\"y\"|'@z", "csv_write_cell: the apostrophe inside the quotes");
    free(got);

    read_ahead();

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return tap_done();
}
