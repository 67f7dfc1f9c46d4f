// How a message authenticated to the organization (X-MS-Exchange-Organization-AuthAs).
package dev.gatehouse.mail;

/** Spec §1.3 / §4.1: {@code Internal} only for mail from the organization's own (hybrid) servers. */
public enum AuthAs { Anonymous, Internal }
