// What SpfRecord.parse gives: the record, or where and why it is not valid SPF.
package dev.gatehouse.spf;

/** A record read from a TXT string: {@link SpfRecord} or {@link SyntaxError} (a permerror, RFC 7208 §4.6). */
sealed interface Parsed permits SpfRecord, SyntaxError {}
