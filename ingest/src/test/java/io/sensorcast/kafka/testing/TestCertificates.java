package io.sensorcast.kafka.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway TLS material for a test broker, made with the JDK's {@code keytool} (no extra dependency): a CA, a
 * broker keystore whose certificate the CA signed for {@code 127.0.0.1} and {@code localhost}, a client keystore
 * whose certificate ({@code CN=sensorcast-client}) the CA signed, for brokers that require client certificates, and
 * a truststore holding only the CA (for clients, and for such brokers). All PKCS12, all with the same password,
 * valid for two days.
 *
 * <pre>{@code
 * TestCertificates tls = TestCertificates.create(dir);
 * EmbeddedKafkaBroker.startWithTls(dir.resolve("kafka"), tls.brokerKeystore(), tls.password());
 * // clients: security.protocol=SSL, ssl.truststore.location=tls.clientTruststore(), ssl.truststore.password=tls.password()
 * }</pre>
 */
public record TestCertificates(Path brokerKeystore, Path clientTruststore, Path clientKeystore, String password) {

    public static TestCertificates create(Path dir) {
        String password = "test-tls-" + Long.toHexString(System.nanoTime());
        Path ca = dir.resolve("ca.p12");
        Path broker = dir.resolve("broker.p12");
        Path truststore = dir.resolve("client-truststore.p12");
        Path request = dir.resolve("broker.csr");
        Path signed = dir.resolve("broker.pem");
        Path caCertificate = dir.resolve("ca.pem");
        keytool(password, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-validity", "2", "-dname", "CN=Sensorcast test CA",
                "-ext", "bc:c", "-keystore", ca.toString());
        keytool(password, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-validity", "2", "-dname", "CN=localhost",
                "-keystore", broker.toString());
        keytool(password, "-certreq", "-alias", "broker", "-keystore", broker.toString(), "-file", request.toString());
        // host name verification checks the subject alternative names against the address the client dialled
        keytool(password, "-gencert", "-alias", "ca", "-keystore", ca.toString(), "-infile", request.toString(),
                "-outfile", signed.toString(), "-rfc", "-validity", "2", "-ext", "SAN=ip:127.0.0.1,dns:localhost");
        keytool(password, "-exportcert", "-alias", "ca", "-keystore", ca.toString(), "-rfc", "-file", caCertificate.toString());
        // the CA first, so that the signed certificate's chain can be completed when it replaces the self-signed one
        keytool(password, "-importcert", "-alias", "ca", "-noprompt", "-keystore", broker.toString(), "-file", caCertificate.toString());
        keytool(password, "-importcert", "-alias", "broker", "-keystore", broker.toString(), "-file", signed.toString());
        keytool(password, "-importcert", "-alias", "ca", "-noprompt", "-keystore", truststore.toString(), "-file", caCertificate.toString());
        Path client = dir.resolve("client.p12");
        Path clientRequest = dir.resolve("client.csr");
        Path clientSigned = dir.resolve("client.pem");
        keytool(password, "-genkeypair", "-alias", "client", "-keyalg", "EC", "-validity", "2", "-dname", "CN=sensorcast-client",
                "-keystore", client.toString());
        keytool(password, "-certreq", "-alias", "client", "-keystore", client.toString(), "-file", clientRequest.toString());
        keytool(password, "-gencert", "-alias", "ca", "-keystore", ca.toString(), "-infile", clientRequest.toString(),
                "-outfile", clientSigned.toString(), "-rfc", "-validity", "2");
        keytool(password, "-importcert", "-alias", "ca", "-noprompt", "-keystore", client.toString(), "-file", caCertificate.toString());
        keytool(password, "-importcert", "-alias", "client", "-keystore", client.toString(), "-file", clientSigned.toString());
        return new TestCertificates(broker, truststore, client, password);
    }

    private static void keytool(String password, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
