/* outfile.c — opening output files (see outfile.h for the rules).
 *
 * What a name is decides how it is written: stat(2) follows links to the
 * file they name, and that file's type picks between a temporary renamed
 * into place (regular files) and a write in place (everything a rename
 * would replace instead of write to: devices, FIFOs, sockets, descriptors).
 */
#include "config.h"
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "buf.h"
#include "i18n.h"

struct outfile {
    int fd;
    int own_fd;          /* ours to close (not standard output) */
    int in_place;
    char *name;          /* as given, for messages and the rename */
    char *tmp;           /* the temporary of a regular file, or NULL */
    char *reg;           /* the register, checked again before the rename */
};

/* path's folder and last component, newly allocated ("x" -> ".", "x"). */
static void split(const char *path, char **dir, char **base)
{
    const char *sl = strrchr(path, '/');
    if (!sl) {
        *dir = xstrdup(".");
        *base = xstrdup(path);
    } else {
        *dir = sl == path ? xstrdup("/") : xstrndup(path, (size_t)(sl - path));
        *base = xstrdup(sl + 1);
    }
}

/* The name path has once its folder is resolved (links, ., ..), the last
 * component as it is: where a file created at path would be.  NULL when
 * the folder cannot be resolved. */
static char *resolved_name(const char *path)
{
    char *dir, *base;
    split(path, &dir, &base);
    char *rd = realpath(dir, NULL);
    char *out = NULL;
    if (rd) {
        buf b = BUF_INIT;
        buf_printf(&b, "%s%s%s", rd, strcmp(rd, "/") == 0 ? "" : "/", base);
        out = buf_steal(&b);
        free(rd);
    }
    free(dir);
    free(base);
    return out;
}

int outfile_is_register(const char *path, int fd, const char *reg)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    if (!reg || !*reg)
        return 0;
    struct stat t;
    int have = fd >= 0 ? fstat(fd, &t) == 0 : stat(path, &t) == 0;
    /* the register's names: as opened, its real path (SQLite puts the
     * -wal beside the file a link points to), its folder resolved */
    char *names[3] = {xstrdup(reg), realpath(reg, NULL), resolved_name(reg)};
    char *target = fd < 0 ? resolved_name(path) : NULL;
    int hit = 0;
    for (int i = 0; i < 3 && !hit; i++) {
        if (!names[i])
            continue;
        for (size_t k = 0; k < sizeof sfx / sizeof *sfx && !hit; k++) {
            buf c = BUF_INIT;
            buf_printf(&c, "%s%s", names[i], sfx[k]);
            struct stat s;
            /* the same file (any name), or the name a -wal or journal not
             * there yet would get */
            if (have && stat(buf_str(&c), &s) == 0 && s.st_dev == t.st_dev && s.st_ino == t.st_ino)
                hit = 1;
            else if (target && strcmp(target, buf_str(&c)) == 0)
                hit = 1;
            buf_free(&c);
        }
    }
    for (int i = 0; i < 3; i++)
        free(names[i]);
    free(target);
    return hit;
}

/* rd (a resolved folder) and base name one of this process's descriptors
 * (/proc/PID/fd/N, /proc/PID/task/TID/fd/N): N, else -1. */
static int proc_fd_entry(const char *rd, const char *base)
{
    char want[64];
    snprintf(want, sizeof want, "/proc/%ld/", (long)getpid());
    size_t wl = strlen(want);
    if (strncmp(rd, want, wl) != 0)
        return -1;
    const char *rest = rd + wl;
    if (strncmp(rest, "task/", 5) == 0) {
        rest += 5;
        if (!*rest || strspn(rest, "0123456789") == 0)
            return -1;
        rest += strspn(rest, "0123456789");
        if (*rest++ != '/')
            return -1;
    }
    if (strcmp(rest, "fd") != 0 || !*base || base[strspn(base, "0123456789")] || strlen(base) > 9)
        return -1;
    return atoi(base);
}

/* Does path lead, link by link, to one of our own descriptors
 * (/dev/stdout, /dev/fd/3, /proc/self/fd/1)?  Its number, else -1.  Such
 * a link is not a file to rename over: the descriptor is written. */
static int self_fd(const char *path)
{
    char *cur = xstrdup(path);
    int n = -1;
    for (int hop = 0; hop < 40; hop++) {
        char *dir, *base;
        split(cur, &dir, &base);
        char *rd = realpath(dir, NULL);
        if (rd)
            n = proc_fd_entry(rd, base);
        free(rd);
        free(base);
        char link[PATH_MAX];
        ssize_t k = n < 0 ? readlink(cur, link, sizeof link - 1) : -1;
        if (k < 0) {
            free(dir);
            break;
        }
        link[k] = '\0';
        buf next = BUF_INIT;
        if (link[0] == '/')
            buf_puts(&next, link);
        else
            buf_printf(&next, "%s/%s", dir, link);
        free(dir);
        free(cur);
        cur = buf_steal(&next);
    }
    free(cur);
    return n;
}

static outfile *made(const char *name, int fd, int own, int in_place, const char *reg)
{
    outfile *f = xcalloc(1, sizeof *f);
    f->fd = fd;
    f->own_fd = own;
    f->in_place = in_place;
    f->name = xstrdup(name);
    f->reg = reg ? xstrdup(reg) : NULL;
    return f;
}

static void refuse_register(mr_err *e, const char *name)
{
    err_set(e, EXIT_USAGE,
            _("%s is the open register or one of its files (-wal, -shm, -journal): output cannot "
              "be written there; nothing was written"),
            name);
}

/* A Unix socket at path: connect to it and write the stream. */
static int connect_socket(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(a.sun_path, path, strlen(path) + 1);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return -1;
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        int err = errno;
        close(s);
        errno = err;
        return -1;
    }
    return s;
}

/* A regular file (st: what is there now, or NULL for a new name): a
 * temporary beside it that outfile_commit renames over it. */
static outfile *open_temporary(const char *path, const struct stat *st, const char *reg, mr_err *e)
{
    buf t = BUF_INIT;
    buf_printf(&t, "%s.tmpXXXXXX", path);
    char *tmp = buf_steal(&t);
    int fd = mkostemp(tmp, O_CLOEXEC);   /* O_CREAT|O_EXCL, mode 0600 */
    if (fd < 0 && errno == ENAMETOOLONG) {   /* a long name: a short one in its folder */
        char *dir, *base;
        split(path, &dir, &base);
        free(tmp);
        buf_printf(&t, "%s/minreg.tmpXXXXXX", dir);
        tmp = buf_steal(&t);
        free(dir);
        free(base);
        fd = mkostemp(tmp, O_CLOEXEC);
    }
    if (fd < 0) {
        err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
        free(tmp);
        return NULL;
    }
    mode_t mode;
    if (st) {
        mode = st->st_mode & 0777;
        /* the owner and group it had, where we may give them (root, or
         * a group we are in); else it becomes ours */
        if (fchown(fd, st->st_uid, st->st_gid) != 0)
            (void)!fchown(fd, (uid_t)-1, st->st_gid);
    } else {
        mode_t um = umask(0);
        umask(um);
        mode = 0666 & ~um;
    }
    mode &= (mode_t)~0002;   /* never writable by others, as the register files */
    if (fchmod(fd, mode) != 0) {
        err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        free(tmp);
        return NULL;
    }
    outfile *f = made(path, fd, 1, 0, reg);
    f->tmp = tmp;
    return f;
}

outfile *outfile_open(const char *path, const char *reg, mr_err *e)
{
    if (!path || strcmp(path, "-") == 0) {
        if (outfile_is_register(NULL, STDOUT_FILENO, reg)) {
            refuse_register(e, _("standard output"));
            return NULL;
        }
        return made(_("standard output"), STDOUT_FILENO, 0, 1, reg);
    }
    if (!*path) {
        err_set(e, EXIT_IO, "'': %s", strerror(ENOENT));
        return NULL;
    }
    int n = self_fd(path);
    if (n >= 0) {   /* /dev/stdout, /proc/self/fd/N: that descriptor */
        if (outfile_is_register(NULL, n, reg)) {
            refuse_register(e, path);
            return NULL;
        }
        int fd = fcntl(n, F_DUPFD_CLOEXEC, 0);
        if (fd < 0) {
            err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
            return NULL;
        }
        return made(path, fd, 1, 1, reg);
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT) {
            err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
            return NULL;
        }
        if (outfile_is_register(path, -1, reg)) {   /* x.db-journal, not there now */
            refuse_register(e, path);
            return NULL;
        }
        return open_temporary(path, NULL, reg, e);
    }
    if (outfile_is_register(path, -1, reg)) {
        refuse_register(e, path);
        return NULL;
    }
    if (S_ISREG(st.st_mode))
        return open_temporary(path, &st, reg, e);
    if (S_ISDIR(st.st_mode)) {
        err_set(e, EXIT_IO, "%s: %s", path, strerror(EISDIR));
        return NULL;
    }
    if (S_ISBLK(st.st_mode)) {
        err_set(e, EXIT_USAGE, _("%s is a block device (a disk): output is not written onto one; "
                                 "nothing was written"), path);
        return NULL;
    }
    /* a character device, a FIFO (waits for its reader), a socket */
    int fd = S_ISSOCK(st.st_mode) ? connect_socket(path)
                                  : open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (outfile_is_register(NULL, fd, reg)) {   /* swapped in since the stat */
        close(fd);
        refuse_register(e, path);
        return NULL;
    }
    return made(path, fd, 1, 1, reg);
}

int outfile_fd(const outfile *f) { return f->fd; }
const char *outfile_name(const outfile *f) { return f->name; }
int outfile_in_place(const outfile *f) { return f->in_place; }

static void release(outfile *f)
{
    free(f->name);
    free(f->tmp);
    free(f->reg);
    free(f);
}

/* The folder's entry for the rename reaches the disk too.  Its failure is
 * not reported: the file's bytes are synced, and a crash that lost the
 * rename would leave the old file whole. */
static void sync_folder(const char *path)
{
    char *dir, *base;
    split(path, &dir, &base);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
    free(base);
}

int outfile_commit(outfile *f, mr_err *e)
{
    int rc = 0;
    if (!f->tmp) {
        if (f->own_fd && close(f->fd) != 0) {
            err_set(e, EXIT_IO, "%s: %s", f->name, strerror(errno));
            rc = -1;
        }
        release(f);
        return rc;
    }
    if (fsync(f->fd) != 0) {
        err_set(e, EXIT_IO, "%s: %s", f->name, strerror(errno));
        rc = -1;
    }
    if (close(f->fd) != 0 && rc == 0) {
        err_set(e, EXIT_IO, "%s: %s", f->name, strerror(errno));
        rc = -1;
    }
    /* the name could have been made the register's since it was opened */
    if (rc == 0 && outfile_is_register(f->name, -1, f->reg)) {
        refuse_register(e, f->name);
        rc = -1;
    }
    if (rc == 0 && rename(f->tmp, f->name) != 0) {
        err_set(e, EXIT_IO, "%s: %s", f->name, strerror(errno));
        rc = -1;
    }
    if (rc < 0)
        unlink(f->tmp);
    else
        sync_folder(f->name);
    release(f);
    return rc;
}

void outfile_abort(outfile *f)
{
    if (!f)
        return;
    if (f->own_fd)
        close(f->fd);
    if (f->tmp)
        unlink(f->tmp);
    release(f);
}

int outfile_copy_in(outfile *f, int from, mr_err *e)
{
    int to = outfile_fd(f);
    const char *name = outfile_name(f);
    char b[65536];
    if (lseek(from, 0, SEEK_SET) < 0) {
        err_set(e, EXIT_IO, "%s: %s", name, strerror(errno));
        return -1;
    }
    for (;;) {
        ssize_t n = read(from, b, sizeof b);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            err_set(e, EXIT_IO, "%s: %s", name, strerror(errno));
            return -1;
        }
        if (n == 0)
            return 0;
        for (char *p = b; n > 0;) {
            ssize_t k = write(to, p, (size_t)n);
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0) {
                err_set(e, EXIT_IO, "%s: %s", name, strerror(errno));
                return -1;
            }
            p += k;
            n -= k;
        }
    }
}
