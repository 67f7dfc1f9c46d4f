/*
 * slow-fsync.so: makes this machine's disk behave like the one the brief describes, a disk that completes
 * about N serial fsyncs per second, for every process that loads it (LD_PRELOAD).
 *
 * Every fsync(), fdatasync(), syncfs() and msync(MS_SYNC) runs the real call, then holds a lock shared by
 * all processes (flock on $SLOW_FSYNC_LOCK) until at least 1/N s has passed since it took the lock. So
 * flushes from any thread of any process queue behind each other exactly as they would on a disk whose
 * cache flush takes 1/N s, and no flush returns before the data is really on this machine's disk.
 *
 *   gcc -O2 -shared -fPIC -o slow-fsync.so bench/slow-fsync.c -ldl -lpthread
 *   SLOW_FSYNC_RATE=210 SLOW_FSYNC_LOCK=/tmp/x.lock LD_PRELOAD=$PWD/slow-fsync.so some-server
 *
 * Used by bench/smtp-throughput.sh --fsync-rate N for both Gatehouse and Postfix in the same run. The lock
 * file is opened when the library loads, before a daemon chroots or drops privileges. At exit the process
 * appends "pid flushes waited_ms syncfs_calls" to $SLOW_FSYNC_LOG when that is set, so the script can show
 * the shim took hold (and a test can count the gateway's batch flushes).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static int lock_fd = -1;
static char *lock_path = NULL;
static long period_ns = 0;
static long calls = 0;
static long syncfs_calls = 0;
static long waited_ns = 0;

static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_syncfs)(int);
static int (*real_msync)(void *, size_t, int);

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static pthread_mutex_t in_process = PTHREAD_MUTEX_INITIALIZER;

/* A child forked without exec must not share the parent's lock description (flock would not keep them
 * apart, and its unlock would release the parent's lock) nor inherit a mutex held at the fork. */
static void after_fork_in_child(void) {
    pthread_mutex_init(&in_process, NULL);
    if (lock_fd >= 0 && lock_path != NULL) {
        close(lock_fd);
        lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    }
}

__attribute__((constructor)) static void init(void) {
    if (real_fsync != NULL) return;
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_syncfs = dlsym(RTLD_NEXT, "syncfs");
    real_msync = dlsym(RTLD_NEXT, "msync");
    const char *rate = getenv("SLOW_FSYNC_RATE");
    const char *lock = getenv("SLOW_FSYNC_LOCK");
    if (rate == NULL || lock == NULL || atol(rate) <= 0) return;
    period_ns = 1000000000L / atol(rate);
    lock_path = strdup(lock);
    lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    pthread_atfork(NULL, NULL, after_fork_in_child);
}

__attribute__((destructor)) static void report(void) {
    const char *log = getenv("SLOW_FSYNC_LOG");
    if (log == NULL || calls == 0) return;
    FILE *f = fopen(log, "a");
    if (f == NULL) return;
    fprintf(f, "%ld %ld %ld %ld\n", (long) getpid(), calls, waited_ns / 1000000L, syncfs_calls);
    fclose(f);
}

/* flock serialises processes; threads of one process share the lock's file description, so the mutex
 * (above) serialises them first. */
/* Runs one flush as the slow disk would: one at a time across processes, each taking at least 1/N s. */
#define SLOW_CALL(expr)                                                        \
    do {                                                                       \
        if (real_fsync == NULL) init(); /* called before our constructor ran */ \
        if (lock_fd < 0) return (expr);                                        \
        int saved;                                                             \
        long start = now_ns();                                                 \
        pthread_mutex_lock(&in_process);                                       \
        while (flock(lock_fd, LOCK_EX) != 0 && errno == EINTR) {}              \
        long took = now_ns();                                                  \
        int r = (expr);                                                        \
        saved = errno;                                                         \
        long rest = period_ns - (now_ns() - took);                             \
        if (rest > 0) {                                                        \
            struct timespec t = {rest / 1000000000L, rest % 1000000000L};      \
            while (nanosleep(&t, &t) != 0 && errno == EINTR) {}                \
        }                                                                      \
        flock(lock_fd, LOCK_UN);                                               \
        pthread_mutex_unlock(&in_process);                                     \
        __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);                       \
        __atomic_add_fetch(&waited_ns, now_ns() - start, __ATOMIC_RELAXED);    \
        errno = saved;                                                         \
        return r;                                                              \
    } while (0)

int fsync(int fd) { SLOW_CALL(real_fsync(fd)); }
int fdatasync(int fd) { SLOW_CALL(real_fdatasync(fd)); }
int syncfs(int fd) {
    __atomic_add_fetch(&syncfs_calls, 1, __ATOMIC_RELAXED);
    SLOW_CALL(real_syncfs(fd));
}
int msync(void *addr, size_t len, int flags) {
    if (!(flags & MS_SYNC)) return real_msync(addr, len, flags);
    SLOW_CALL(real_msync(addr, len, flags));
}
