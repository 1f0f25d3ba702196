/* unisono from C: load the demo catalog, validate the demo renderings on several threads sharing
 * one handle, ask for an offer, go through the error paths, and free everything (ffi/clients/run.sh
 * runs it under valgrind, which must find no leak and no invalid access).
 *
 *   gcc -std=c11 -Wall -Wextra -Werror -I ffi/include ffi/clients/c/client.c \
 *       -L target/release -lunisono_ffi -Wl,-rpath,"$PWD/target/release" -lpthread -o unisono-client
 *   ./unisono-client examples/data
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unisono.h"

#define THREADS 4

static int failures = 0;

static void check(int condition, const char *what) {
    if (!condition) {
        fprintf(stderr, "FAILED: %s\n", what);
        failures++;
    }
}

/* The whole file, NUL-terminated; its length in *len. NULL if it cannot be read. */
static char *read_file(const char *dir, const char *name, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return NULL;
    }
    char *text = NULL;
    size_t size = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long end = ftell(f);
        if (end >= 0 && fseek(f, 0, SEEK_SET) == 0) {
            size = (size_t)end;
            text = malloc(size + 1);
            if (text != NULL && fread(text, 1, size, f) != size) {
                free(text);
                text = NULL;
            }
        }
    }
    fclose(f);
    if (text != NULL) {
        text[size] = '\0';
        *len = size;
    }
    return text;
}

/* Whether an answer is an error document of this kind (a report or an offer has no "error" key). */
static int is_error(const char *json, const char *kind) {
    char needle[128];
    snprintf(needle, sizeof needle, "\"kind\":\"%s\"", kind);
    return strncmp(json, "{\"error\":", 9) == 0 && strstr(json, needle) != NULL;
}

struct job {
    const UnisonoCatalog *catalog;
    const char *renderings;
    size_t renderings_len;
    const char *policy;
    size_t policy_len;
    char *report; /* owned: freed by main with unisono_string_free */
};

static void *validate_on_thread(void *argument) {
    struct job *job = argument;
    job->report = unisono_validate(job->catalog, job->renderings, job->renderings_len, job->policy,
                                   job->policy_len);
    return NULL;
}

int main(int argc, char **argv) {
    const char *data = argc > 1 ? argv[1] : "examples/data";

    char *version = unisono_version();
    printf("unisono %s via C\n", version);
    check(strcmp(version, "0.1.0") == 0, "the version");
    unisono_string_free(version);

    size_t catalog_len = 0, renderings_len = 0, policy_len = 0;
    char *catalog_json = read_file(data, "catalog.json", &catalog_len);
    char *renderings = read_file(data, "renderings.json", &renderings_len);
    char *policy = read_file(data, "policy.json", &policy_len);
    if (catalog_json == NULL || renderings == NULL || policy == NULL) {
        free(catalog_json);
        free(renderings);
        free(policy);
        return 2;
    }

    char *error = NULL;
    UnisonoCatalog *catalog = unisono_catalog_load(catalog_json, catalog_len, &error);
    free(catalog_json); /* unisono keeps nothing of the input */
    check(catalog != NULL && error == NULL, "the demo catalog loads");
    if (catalog == NULL) {
        fprintf(stderr, "%s\n", error);
        unisono_string_free(error);
        free(renderings);
        free(policy);
        return 1;
    }

    /* One report on this thread, then the same on THREADS threads sharing the handle. */
    char *report = unisono_validate(catalog, renderings, renderings_len, policy, policy_len);
    check(strstr(report, "\"renderings\": 51,") != NULL, "the report counts 51 renderings");
    check(strncmp(report, "{\n  \"version\": 1,", 17) == 0, "a report, not an error");
    const char *summary = strstr(report, "\"summary\"");
    if (summary != NULL) {
        printf("demo report: %.*s\n", (int)(strstr(summary, "}") - summary + 1), summary);
    }

    pthread_t threads[THREADS];
    struct job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (struct job){catalog, renderings, renderings_len, policy, policy_len, NULL};
        check(pthread_create(&threads[i], NULL, validate_on_thread, &jobs[i]) == 0, "a thread starts");
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        check(jobs[i].report != NULL && strcmp(jobs[i].report, report) == 0,
              "every thread gets the same report");
        unisono_string_free(jobs[i].report);
    }
    printf("%d threads sharing the handle: same report\n", THREADS);
    unisono_string_free(report);

    char *offer = unisono_offer(catalog, "LAPTOP-14", "web-it", "2026-11-28T10:00:00+01:00");
    check(strstr(offer, "\"price\": \"719.20 EUR\"") != NULL, "the offer's price");
    check(strstr(offer, "\"prior_price\": \"899.00 EUR\"") != NULL, "the offer's prior price");
    printf("offer of LAPTOP-14 on web-it: %s", offer);
    unisono_string_free(offer);

    /* Error paths: each answer is an error document, freed like any string. */
    struct {
        char *answer;
        const char *kind;
    } errors[] = {
        {unisono_offer(catalog, "NOPE", "web-it", "2026-11-28T10:00:00+01:00"), "unknown_product"},
        {unisono_offer(catalog, "LAPTOP-14", "web-it", "2026-11-28T10:00:00"), "invalid_instant"},
        {unisono_offer(catalog, NULL, "web-it", "2026-11-28T10:00:00+01:00"), "null_argument"},
        {unisono_offer(NULL, "LAPTOP-14", "web-it", "2026-11-28T10:00:00+01:00"), "invalid_handle"},
        {unisono_validate(catalog, "[{]", 3, NULL, 0), "renderings_syntax"},
        {unisono_validate(catalog, "[]", 2, "{\"low_stock_threshold\": -1}", 27), "policy_invalid"},
        {unisono_validate(catalog, "[\xff]", 3, NULL, 0), "invalid_utf8"},
        {unisono_validate(catalog, NULL, 0, NULL, 0), "null_argument"},
    };
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        check(is_error(errors[i].answer, errors[i].kind), errors[i].kind);
        if (i == 0) {
            printf("unknown SKU: %s\n", errors[i].answer);
        }
        unisono_string_free(errors[i].answer);
    }

    char *load_error = NULL;
    check(unisono_catalog_load("{\"markets\": 1}", 14, &load_error) == NULL, "a bad catalog fails");
    check(load_error != NULL && is_error(load_error, "catalog_syntax"), "catalog_syntax");
    unisono_string_free(load_error);
    check(unisono_catalog_load(NULL, 0, NULL) == NULL, "a NULL catalog fails, with no error asked");

    unisono_catalog_free(catalog);
    char *after = unisono_validate(catalog, "[]", 2, NULL, 0);
    check(is_error(after, "invalid_handle"), "a freed handle is refused");
    unisono_string_free(after);
    unisono_catalog_free(catalog); /* ignored */
    unisono_catalog_free(NULL);
    unisono_string_free(NULL);

    free(renderings);
    free(policy);
    if (failures > 0) {
        fprintf(stderr, "c client: %d checks failed\n", failures);
        return 1;
    }
    printf("c client: ok\n");
    return 0;
}
