/* draft.c — unsaved form input kept on disk (see draft.h). */
#include "config.h"
#include "draft.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

#define DRAFT_MAGIC "minreg draft 1"

/* The register file as one name: its real path when it has one, so two
 * spellings of the same file share their drafts. */
static char *file_id(const char *dbfile)
{
    char *r = realpath(dbfile, NULL);
    return r ? r : xstrdup(dbfile);
}

static const char *state_dir(buf *b)
{
    const char *xdg = getenv("XDG_STATE_HOME");
    if (xdg && *xdg == '/') {
        buf_printf(b, "%s/minreg", xdg);
        return buf_str(b);
    }
    const char *home = getenv("HOME");
    if (!home || *home != '/')
        return NULL;
    buf_printf(b, "%s/.local/state/minreg", home);
    return buf_str(b);
}

char *draft_path(const char *dbfile, const table *t, int64_t rowid)
{
    buf b = BUF_INIT;
    if (!state_dir(&b)) {
        buf_free(&b);
        return NULL;
    }
    /* FNV-1a of the file's real path: one name per register file */
    char *id = file_id(dbfile);
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    free(id);
    if (rowid >= 0)
        buf_printf(&b, "/%016llx.%s.%lld.draft", (unsigned long long)h, t->id, (long long)rowid);
    else
        buf_printf(&b, "/%016llx.%s.new.draft", (unsigned long long)h, t->id);
    return buf_steal(&b);
}

/* mkdir -p, each folder made 0700; the last one (minreg's own) made 0700
 * even when it was there before with wider permissions. */
static int make_dir(const char *dir, mr_err *e)
{
    char *p = xstrdup(dir);
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s)
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            err_set(e, EXIT_IO, "%s: %s", p, strerror(errno));
            free(p);
            return -1;
        }
        *s = c;
        if (!c)
            break;
    }
    free(p);
    struct stat st;
    if (stat(dir, &st) == 0 && (st.st_mode & 077) && st.st_uid == getuid())
        chmod(dir, 0700);
    return 0;
}

/* One value on one line: \\, \n, \r, \t escaped. */
static void put_value(buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        default: buf_add(b, s, 1);
        }
    }
}

static char *get_value(const char *s)
{
    buf b = BUF_INIT;
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            buf_puts(&b, *s == 'n' ? "\n" : *s == 'r' ? "\r" : *s == 't' ? "\t" : *s == '\\' ? "\\" : "");
        } else {
            buf_add(&b, s, 1);
        }
    }
    buf_puts(&b, "");
    return buf_steal(&b);
}

int draft_save(const char *path, const char *dbfile, const table *t, const draft *d, mr_err *e)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    int rc = make_dir(dir, e);
    free(dir);
    if (rc < 0)
        return -1;
    buf b = BUF_INIT;
    char *id = file_id(dbfile);
    buf_printf(&b, DRAFT_MAGIC "\nfile\t");
    put_value(&b, id);
    free(id);
    buf_printf(&b, "\ntable\t%s\nrow\t%lld\nread_at\t%lld\nat\t%s\n", t->id, (long long)d->rowid,
               (long long)d->read_at, d->at);
    for (int k = 0; k < 2; k++) {
        char **v = k ? d->mine : d->base;
        for (int i = 0; v && i < t->ncols && i < d->ncols; i++) {
            buf_printf(&b, "%s\t%s", k ? "mine" : "base", t->cols[i].id);
            if (v[i]) {
                buf_puts(&b, "\t");
                put_value(&b, v[i]);
            }
            buf_puts(&b, "\n");
        }
    }
    buf_puts(&b, "end\n");
    buf tmp = BUF_INIT;
    buf_printf(&tmp, "%s.XXXXXX", path);
    char *tpath = buf_steal(&tmp);
    int fd = mkstemp(tpath);   /* made 0600 */
    rc = -1;
    if (fd >= 0) {
        size_t off = 0;
        while (off < b.len) {
            ssize_t n = write(fd, b.s + off, b.len - off);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            off += (size_t)n;
        }
        if (off == b.len && fchmod(fd, 0600) == 0 && fsync(fd) == 0 && close(fd) == 0) {
            fd = -1;
            rc = rename(tpath, path);
        }
        if (fd >= 0)
            close(fd);
        if (rc != 0)
            unlink(tpath);
    }
    if (rc != 0)
        err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
    free(tpath);
    buf_free(&b);
    return rc;
}

void draft_free(draft *d)
{
    for (int i = 0; i < d->ncols; i++) {
        free(d->base ? d->base[i] : NULL);
        free(d->mine ? d->mine[i] : NULL);
    }
    free(d->base);
    free(d->mine);
    memset(d, 0, sizeof *d);
}

int draft_load(const char *path, const char *dbfile, const table *t, draft *d)
{
    memset(d, 0, sizeof *d);
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? 0 : -1;
    char *line = NULL, *id = file_id(dbfile);
    size_t cap = 0;
    ssize_t n;
    int good = 0, nline = 0, file_ok = 0, table_ok = 0;
    d->ncols = t->ncols;
    d->base = xcalloc((size_t)t->ncols, sizeof(char *));
    d->mine = xcalloc((size_t)t->ncols, sizeof(char *));
    d->rowid = -2;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] != '\n')
            break;   /* cut short: not a whole draft */
        line[--n] = '\0';
        if (nline++ == 0) {
            if (strcmp(line, DRAFT_MAGIC) != 0)
                break;
            continue;
        }
        if (strcmp(line, "end") == 0) {
            good = 1;
            break;
        }
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab++ = '\0';
        if (strcmp(line, "file") == 0) {
            char *v = get_value(tab);
            file_ok = strcmp(v, id) == 0;
            free(v);
        } else if (strcmp(line, "table") == 0) {
            table_ok = strcmp(tab, t->id) == 0;
        } else if (strcmp(line, "row") == 0) {
            d->rowid = strtoll(tab, NULL, 10);
        } else if (strcmp(line, "read_at") == 0) {
            d->read_at = strtoll(tab, NULL, 10);
        } else if (strcmp(line, "at") == 0) {
            snprintf(d->at, sizeof d->at, "%s", tab);
        } else if (strcmp(line, "base") == 0 || strcmp(line, "mine") == 0) {
            char **v = line[0] == 'b' ? d->base : d->mine;
            char *val = strchr(tab, '\t');
            if (val)
                *val++ = '\0';
            int ci = table_col(t, tab);
            if (ci >= 0) {
                free(v[ci]);
                v[ci] = val && *val ? get_value(val) : NULL;
            }
        }
    }
    free(line);
    free(id);
    fclose(f);
    if (!good || !file_ok || !table_ok || d->rowid < -1) {
        draft_free(d);
        return -1;
    }
    return 1;
}

void draft_remove(const char *path)
{
    if (path)
        unlink(path);
}
