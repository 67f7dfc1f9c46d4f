// Dkimpy: runs Debian's dkimpy (dkimsign, arcsign) to sign and seal test messages with another implementation.
package dev.gatehouse.dkim;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cross-implementation signer: dkimpy 1.1 from Debian's {@code python3-dkim} (with {@code python3-authres}
 * for ARC), which {@code .ci/run} installs. When it is missing the calling test is skipped with the reason, as the
 * browser tests are without Chromium. Each call is one process with a bounded run time.
 */
public final class Dkimpy {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path DKIMSIGN = Path.of("/usr/bin/dkimsign");
    private static final Path ARCSIGN = Path.of("/usr/bin/arcsign");

    private final Path dir;

    private Dkimpy(Path dir) {
        this.dir = dir;
    }

    /** A signer writing its key files under {@code dir}; skips the test when dkimpy or authres is not installed. */
    public static Dkimpy in(Path dir) {
        assumeTrue(Files.isExecutable(DKIMSIGN) && Files.isExecutable(ARCSIGN) && Files.isExecutable(PYTHON),
                "dkimpy is not installed (apt-get install python3-dkim python3-authres): cross-implementation tests skipped");
        assumeTrue(run(List.of(PYTHON.toString(), "-c", "import dkim, authres, nacl"), "").exit == 0,
                "python3-dkim, python3-authres or python3-nacl cannot be imported: cross-implementation tests skipped");
        return new Dkimpy(dir);
    }

    /** {@code dkimsign} with the given canonicalizations and the key's algorithm: the signed message. */
    public String dkimsign(String message, TestSigner.Key key, String hcanon, String bcanon) {
        Path keyFile = keyFile(key);
        String signed = ok(run(List.of(DKIMSIGN.toString(), "--hcanon", hcanon, "--bcanon", bcanon, "--signalg", key.algorithm().tag(),
                key.selector(), key.domain(), keyFile.toString()), message));
        if (signed.equals(message)) throw new IllegalStateException("dkimsign added no signature");
        return signed;
    }

    /** dkimpy's {@code dkim.sign} with {@code length=True} (an l= tag for the whole body; dkimsign has no option for it). */
    public String signWithLength(String message, TestSigner.Key key, String hcanon, String bcanon) {
        String script = "import sys, dkim\n"
                + "m = sys.stdin.buffer.read()\n"
                + "s = dkim.sign(m, sys.argv[1].encode(), sys.argv[2].encode(), open(sys.argv[3], 'rb').read(),"
                + " canonicalize=(sys.argv[4].encode(), sys.argv[5].encode()), signature_algorithm=sys.argv[6].encode(), length=True)\n"
                + "sys.stdout.buffer.write(s + m)\n";
        return ok(run(List.of(PYTHON.toString(), "-c", script, key.selector(), key.domain(), keyFile(key).toString(), hcanon, bcanon,
                key.algorithm().tag()), message));
    }

    /** For each body, dkimpy's relaxed and simple canonical forms as SHA-256 hex, {@code "relaxed simple"}. */
    public List<String> canonicalBodyHashes(List<String> bodies) {
        String script = "import sys, base64, hashlib\n"
                + "from dkim.canonicalization import Relaxed, Simple\n"
                + "for line in sys.stdin.read().split():\n"
                + "    b = base64.b64decode(line[1:])\n"
                + "    print(hashlib.sha256(Relaxed.canonicalize_body(b)).hexdigest(), hashlib.sha256(Simple.canonicalize_body(b)).hexdigest())\n";
        StringBuilder in = new StringBuilder();
        for (String b : bodies) in.append('x').append(java.util.Base64.getEncoder().encodeToString(b.getBytes(StandardCharsets.ISO_8859_1))).append('\n');
        return ok(run(List.of(PYTHON.toString(), "-c", script), in.toString())).lines().toList();
    }

    /**
     * {@code arcsign}: seals the next ARC instance. dkimpy seals only when the message carries an
     * Authentication-Results field of {@code authservId}, whose {@code arc=} result becomes the new seal's cv.
     */
    public String arcsign(String message, TestSigner.Key key, String authservId) {
        String sealed = ok(run(List.of(ARCSIGN.toString(), key.selector(), key.domain(), keyFile(key).toString(), authservId), message));
        if (sealed.equals(message)) throw new IllegalStateException("arcsign added no ARC set");
        return sealed;
    }

    private Path keyFile(TestSigner.Key key) {
        try {
            Path f = dir.resolve(key.selector() + "." + key.domain() + ".key");
            if (!Files.exists(f)) Files.writeString(f, key.privateKeyFile());
            return f;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Result(int exit, String out, String err) {}

    private static String ok(Result r) {
        if (r.exit != 0) throw new IllegalStateException("dkimpy failed (" + r.exit + "): " + r.err);
        return r.out;
    }

    private static Result run(List<String> command, String stdin) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).start();
            var err = new java.io.ByteArrayOutputStream();
            Thread drain = Thread.ofVirtual().start(() -> {
                try {
                    p.getErrorStream().transferTo(err);
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("dkimpy did not finish in 60 s: " + command.getFirst());
            }
            drain.join();
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
