// RfcVectors: the example messages and keys published in RFC 6376 Appendix A and C and RFC 8463 Appendix A.
package dev.gatehouse.dkim;

/**
 * Test data from the RFCs, byte for byte as printed (the artwork's indentation removed, lines ended with CRLF).
 * Each constant cites its section.
 */
final class RfcVectors {
    private RfcVectors() {}

    static String crlf(String text) { return text.replace("\r\n", "\n").replace("\n", "\r\n"); }

    /** RFC 8463 Appendix A.2: brisbane._domainkey.football.example.com, the RFC 8032 §7.1 test 1 public key. */
    static final String RFC8463_ED25519_RECORD = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    /** RFC 8463 Appendix A.2: test._domainkey.football.example.com, a 1024-bit RSA key, as its four strings. */
    static final String[] RFC8463_RSA_STRINGS = {
        "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR",
        "iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutAC",
        "DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3",
        "Ip3G+2kryOTIKT+l/K4w3QIDAQAB",
    };

    /** RFC 8463 Appendix A.3: the message signed with both ed25519-sha256 (brisbane) and rsa-sha256 (test). */
    static final String RFC8463_MESSAGE = crlf("""
            DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;
             d=football.example.com; i=@football.example.com;
             q=dns/txt; s=brisbane; t=1528637909; h=from : to :
             subject : date : message-id : from : subject : date;
             bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;
             b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus
             Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==
            DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;
             d=football.example.com; i=@football.example.com;
             q=dns/txt; s=test; t=1528637909; h=from : to : subject :
             date : message-id : from : subject : date;
             bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;
             b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3
             DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz
             dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=
            From: Joe SixPack <joe@football.example.com>
            To: Suzie Q <suzie@shopping.example.net>
            Subject: Is dinner ready?
            Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)
            Message-ID: <20030712040037.46341.5F8J@football.example.com>

            Hi.

            We lost the game.  Are you hungry yet?

            Joe.
            """);

    /** RFC 6376 Appendix C: brisbane._domainkey.example.com, the 1024-bit key of the Appendix A example. */
    static final String RFC6376_RECORD = "v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkM"
            + "oGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/R"
            + "tdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToI"
            + "MmPSPDdQPNUYckcQ2QIDAQAB";

    /**
     * RFC 6376 Appendix A.3: the signed example (simple/simple), with the layout the RFC prints: the field names at
     * the artwork's left margin and continuation lines six columns further in ({@code indent} lets a test move them).
     */
    static String rfc6376Message(String indent) {
        return crlf("""
                DKIM-Signature: v=1; a=rsa-sha256; s=brisbane; d=example.com;
                %1$sc=simple/simple; q=dns/txt; i=joe@football.example.com;
                %1$sh=Received : From : To : Subject : Date : Message-ID;
                %1$sbh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;
                %1$sb=AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB
                %1$s  4nujc7YopdG5dWLSdNg6xNAZpOPr+kHxt1IrE+NahM6L/LbvaHut
                %1$s  KVdkLLkpVaVVQPzeRDI009SO2Il5Lu7rDNH6mZckBdrIx0orEtZV
                %1$s  4bmp/YzhwvcubU4=;
                Received: from client1.football.example.com  [192.0.2.1]
                %1$sby submitserver.example.com with SUBMISSION;
                %1$sFri, 11 Jul 2003 21:01:54 -0700 (PDT)
                From: Joe SixPack <joe@football.example.com>
                To: Suzie Q <suzie@shopping.example.net>
                Subject: Is dinner ready?
                Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)
                Message-ID: <20030712040037.46341.5F8J@football.example.com>

                Hi.

                We lost the game. Are you hungry yet?

                Joe.
                """.formatted(indent));
    }
}
