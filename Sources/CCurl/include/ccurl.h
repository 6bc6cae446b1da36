#ifndef CCURL_H
#define CCURL_H

/*
 * Non-variadic wrappers around libcurl's variadic `curl_easy_setopt` and `curl_easy_getinfo`, which Swift
 * cannot call directly. Each wrapper passes one argument of one C type, as libcurl expects for the option.
 */

#include <curl/curl.h>

/* CURLOPT_OPENSOCKETFUNCTION: (userdata, purpose, address) -> a socket, or CURL_SOCKET_BAD to refuse the address. */
typedef curl_socket_t (*ccurl_opensocket_callback)(void *userdata, curlsocktype purpose,
                                                   struct curl_sockaddr *address);

/* A write, header or read callback: (buffer, size, count, userdata) -> bytes handled. */
typedef size_t (*ccurl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);

/* A transfer-progress callback; a non-zero return aborts the transfer with CURLE_ABORTED_BY_CALLBACK. */
typedef int (*ccurl_xferinfo_callback)(void *userdata, curl_off_t download_total, curl_off_t download_now,
                                       curl_off_t upload_total, curl_off_t upload_now);

/* `curl_global_init(CURL_GLOBAL_ALL)`. */
CURLcode ccurl_global_init_all(void);

/* Sets an option that takes a `long`. */
CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);

/* Sets an option that takes an object pointer (a `curl_slist *`, a userdata pointer, an error buffer). */
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value);

/* Sets an option that takes a C string; libcurl copies the string. */
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);

/* Sets an option that takes a `curl_off_t` (the `_LARGE` options). */
CURLcode ccurl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);

/* Sets CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION or CURLOPT_READFUNCTION. */
CURLcode ccurl_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback callback);

/* Sets CURLOPT_XFERINFOFUNCTION. */
CURLcode ccurl_setopt_xferinfo_callback(CURL *handle, ccurl_xferinfo_callback callback);

/* Sets CURLOPT_OPENSOCKETFUNCTION, called with every address curl is about to connect to. */
CURLcode ccurl_setopt_opensocket_callback(CURL *handle, ccurl_opensocket_callback callback);

/* Copies the IP address of an AF_INET or AF_INET6 socket address into `bytes` (room for 16) and its port into
 * `port`; returns the address length (4 or 16), or 0 for other families (a unix socket). */
int ccurl_sockaddr_ip(const struct curl_sockaddr *address, unsigned char *bytes, int *port);

/* Opens the socket curl asked for, as curl does without an open-socket callback (close-on-exec). */
curl_socket_t ccurl_open_socket(const struct curl_sockaddr *address);

/* CURL_SOCKET_BAD, which refuses an address from an open-socket callback. */
curl_socket_t ccurl_socket_bad(void);

/* Reads information of type `long` (CURLINFO_RESPONSE_CODE, …). */
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);

/* Reads information of type `double` (CURLINFO_TOTAL_TIME, …). */
CURLcode ccurl_getinfo_double(CURL *handle, CURLINFO info, double *value);

/* Reads information of type `char *` (CURLINFO_EFFECTIVE_URL, …); the string belongs to the handle. */
CURLcode ccurl_getinfo_string(CURL *handle, CURLINFO info, const char **value);

/* Reads information of type `curl_off_t` (CURLINFO_SIZE_DOWNLOAD_T, …). */
CURLcode ccurl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

#endif
