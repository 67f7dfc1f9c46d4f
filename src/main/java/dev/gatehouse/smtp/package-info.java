// package-info: what the SMTP protocol engine is for, how it is put together, and the policy choices it makes.
/**
 * The inbound SMTP protocol engine of Gatehouse: it talks RFC 5321 to the Internet, defends the
 * protocol layer against hostile clients, and hands parsed envelopes and exact content to a
 * {@link dev.gatehouse.smtp.MailHandler}. It never decides whom mail is for; the handler does.
 *
 * <h2>Shape</h2>
 * {@link dev.gatehouse.smtp.SmtpServer} accepts sockets and runs one {@code SmtpSession} per connection
 * on a virtual thread, behind a {@code ConnectionLimiter}. The session is a state machine over a
 * {@code SmtpTransport} (a socket, or in-memory streams in tests), reading through {@code SmtpInput}
 * (4 KiB buffer, deadlines, line framing) and parsing with {@code CommandParser} / {@code AddressParser}.
 * Content is read by {@code DataReader} (DATA) or {@code BdatReader} (BDAT) into a capped
 * {@code MessageBuffer} that exists only while a message is being received. Behind a load balancer, a
 * connection from a peer in {@code proxyProtocolFrom} first has its PROXY header read ({@code ProxyHeaderReader}
 * over the pure {@code ProxyHeader} parser), and the session is run as the client the header names.
 *
 * <h2>Policy choices</h2>
 * <ul>
 *   <li><b>Line endings.</b> Only CRLF.CRLF ends DATA. With {@code rejectBareLineEndings} (default) a bare
 *       CR or LF in a command gets 550 5.5.2; in content the session reads on to the real end and then
 *       answers 550 5.5.2 without calling the handler. BDAT chunks are checked the same way (a CRLF split
 *       across chunks is fine), because the content is later relayed over DATA. With the flag off,
 *       bare CR/LF are normalised to CRLF; a line after a normalised ending is not a line start for
 *       dot-unstuffing or for the end marker.</li>
 *   <li><b>NUL</b> in a command: 501. In content: kept as opaque bytes.</li>
 *   <li><b>Addresses.</b> Angle brackets required; source routes dropped; quoted local parts kept as
 *       quoted; {@code %} and {@code !} are plain characters; local part up to 255 octets (lenient;
 *       the 256-octet path limit applies); empty dot-atoms tolerated; domain required except
 *       {@code <Postmaster>}; no trailing dot; only IPv4/IPv6 address literals. Non-ASCII without
 *       SMTPUTF8: 553 5.6.7. No RCPT parameters (no DSN): 555.</li>
 *   <li><b>Enhanced status codes</b> are rendered only after EHLO (RFC 2034), except in the connection-limit
 *       421 sent before any greeting, which carries it as Postfix does: {@code 421 4.7.0 <host> Error: too many connections from <ip>},
 *       and in the {@code 554 5.7.0} that refuses a PROXY header from a peer not trusted to send one.</li>
 *   <li><b>PROXY protocol</b> (docs/decisions/smtp-proxy-protocol.md). Only listed peers, and those must send a
 *       v1 or v2 header before the greeting within 10 s (or the command timeout if shorter), or are closed without
 *       a word. A {@code PROXY } command line, or the v2 signature as the first input, from anyone else: 554 5.7.0
 *       and the connection closed.</li>
 *   <li><b>Content in command state.</b> A lone {@code .}, a header-looking line ({@code Name: value})
 *       or CONNECT/GET/POST gets {@code 221 2.7.0 Error: I can break rules, too. Goodbye.} and the
 *       session ends (Postfix behaviour): text pipelined after a refused DATA is never parsed further.</li>
 *   <li><b>BDAT</b> with an unparseable size gets 501 and the connection is closed (the chunk length is
 *       unknowable). A refused BDAT (no MAIL, no valid recipients, after DATA) still consumes exactly its
 *       octets. Oversize or bare-line-ending chunks are answered 250 until LAST, then 552/550. A last line
 *       without CRLF gets one appended. BINARYMIME is not offered (BODY=BINARYMIME: 555).</li>
 *   <li><b>STARTTLS</b> discards every byte buffered after the command (CVE-2011-0411), allows TLS 1.2
 *       and 1.3 only, wants (does not need) a client certificate and keeps the chain unverified in
 *       {@link dev.gatehouse.smtp.TlsInfo}; a failed handshake closes the connection without a reply.
 *       The session then forgets HELO/EHLO and the transaction.</li>
 *   <li><b>Timeouts</b> are deadlines: the command timeout bounds one whole command line, the data
 *       timeout one whole DATA content or one BDAT chunk, so trickling bytes cannot extend them. Replies
 *       the client does not read are caught by the server's watchdog after the command timeout.</li>
 *   <li><b>Limits.</b> The hard error limit counts every 4xx/5xx reply; the junk limit counts NOOP, RSET,
 *       VRFY, EXPN and HELP and is reset by a delivered message; both end with 421 4.7.0.</li>
 *   <li><b>Handler failures</b> (an exception, or null where a reply is needed) are answered 451 4.3.0.</li>
 * </ul>
 */
package dev.gatehouse.smtp;
