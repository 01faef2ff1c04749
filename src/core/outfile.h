/* outfile.h — the one way minreg opens a file to write output to.
 *
 * Exports (the CLI's and the browser's) and rejects files all open their
 * output here, so the same rules hold for every one of them:
 *
 *  - it is never the open register nor its -wal, -shm or -journal file,
 *    whatever name reaches it (a symbolic or hard link, ./x.db, a
 *    /proc/self/fd link, standard output redirected onto it): refused with
 *    EXIT_USAGE before anything is written;
 *  - a regular file, or a name not there yet, is written to a temporary
 *    made with mkstemp (O_EXCL: a link planted at its name is never
 *    followed) in the same folder, synced and renamed over the name at the
 *    end, so a failed write leaves the old file as it was.  It keeps an
 *    existing file's mode (a new one gets 0666 less the umask), never with
 *    write permission for others.  A symbolic link at the name is replaced,
 *    not followed;
 *  - anything else is written in place, with no temporary and no rename:
 *    a character device (/dev/null, /dev/full), a FIFO, a Unix socket
 *    (connected to), a /proc/self/fd or /dev/stdout link (the descriptor
 *    itself), "-" or NULL for standard output.  Its write errors are the
 *    caller's to report (/dev/full: ENOSPC, exit 5);
 *  - a folder or a block device is refused.
 */
#ifndef MINREG_OUTFILE_H
#define MINREG_OUTFILE_H

#include "err.h"

typedef struct outfile outfile;

/* Open path for writing (NULL or "-": standard output).  reg, when not
 * NULL, is the open register's path: the output may not be it or its
 * files.  NULL with e filled (EXIT_USAGE or EXIT_IO) on failure. */
outfile *outfile_open(const char *path, const char *reg, mr_err *e);

int outfile_fd(const outfile *f);           /* where to write(2) */
const char *outfile_name(const outfile *f); /* for messages */
int outfile_in_place(const outfile *f);     /* 1: no temporary (device, FIFO, stdout...) */
/* Copy the file open on from, from its start, into f (a scratch file a
 * library wrote: a workbook, a GeoPackage).  0, or -1 with e. */
int outfile_copy_in(outfile *f, int from, mr_err *e);

/* Finish: sync, close and rename the temporary into place.  0, or -1
 * with e filled and the temporary removed.  f is freed either way. */
int outfile_commit(outfile *f, mr_err *e);

/* Give up: the temporary is removed (what was written in place stays).
 * f is freed; NULL is allowed. */
void outfile_abort(outfile *f);

/* Is the file at path, or a file created at path, the register reg or
 * its -wal, -shm or -journal?  fd >= 0: the file open on fd instead. */
int outfile_is_register(const char *path, int fd, const char *reg);

#endif
