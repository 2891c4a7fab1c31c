package io.incidentcomms.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local OpenID Connect provider for the authorization code flow, enough for Quarkus OIDC: a
 * discovery document, an authorization endpoint that signs in whoever the test named (no login
 * page), a token endpoint that checks the client secret and PKCE, and its signing key as a JWKS.
 */
public final class OidcProviderStub implements AutoCloseable {

    public static final String CLIENT_ID = "console-test";
    public static final String CLIENT_SECRET = "console-test-secret";

    /** Who the provider says signs in next, with their groups. */
    public record Person(String username, List<String> groups) {
    }

    private record Grant(Person person, String nonce, String redirectUri, String codeChallenge) {
    }

    private final HttpServer server;
    private final RsaJsonWebKey key;
    private final RsaJsonWebKey foreignKey;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private volatile Person next = new Person("nobody", List.of());
    private volatile boolean signsWithForeignKey;

    public OidcProviderStub() throws IOException, JoseException {
        key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("stub-key");
        foreignKey = RsaJwkGenerator.generateJwk(2048);
        foreignKey.setKeyId("stub-key");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/jwks", this::jwks);
        server.start();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void signsInNext(String username, String... groups) {
        next = new Person(username, List.of(groups));
    }

    /** ID tokens signed with a key the provider does not publish, as a forger would. */
    public void signWithForeignKey(boolean foreign) {
        signsWithForeignKey = foreign;
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String issuer = issuer();
        send(exchange, 200, "application/json", """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                 "jwks_uri":"%1$s/jwks","response_types_supported":["code"],"subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":["RS256"],"code_challenge_methods_supported":["S256"],
                 "token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post"]}"""
                .formatted(issuer));
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(query.get("client_id")) || !"code".equals(query.get("response_type"))) {
            send(exchange, 400, "text/plain", "unknown client or response type");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(next, query.get("nonce"), query.get("redirect_uri"), query.get("code_challenge")));
        String location = query.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(query.getOrDefault("state", ""), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Location", location);
        send(exchange, 302, "text/plain", "");
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = codes.remove(form.getOrDefault("code", ""));
        if (grant == null || !clientAuthenticated(exchange, form) || !grant.redirectUri().equals(form.get("redirect_uri"))
                || !pkceHolds(grant.codeChallenge(), form.get("code_verifier"))) {
            send(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        try {
            String idToken = idToken(grant);
            send(exchange, 200, "application/json", """
                    {"access_token":"%s","token_type":"Bearer","expires_in":300,"id_token":"%s"}"""
                    .formatted(UUID.randomUUID(), idToken));
        } catch (JoseException e) {
            send(exchange, 500, "text/plain", e.getMessage());
        }
    }

    private void jwks(HttpExchange exchange) throws IOException {
        send(exchange, 200, "application/json", "{\"keys\":[" + key.toJson() + "]}");
    }

    private String idToken(Grant grant) throws JoseException {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer());
        claims.setAudience(CLIENT_ID);
        claims.setSubject("sub-" + grant.person().username());
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setClaim("preferred_username", grant.person().username());
        claims.setStringListClaim("groups", grant.person().groups());
        if (grant.nonce() != null) {
            claims.setClaim("nonce", grant.nonce());
        }
        RsaJsonWebKey signing = signsWithForeignKey ? foreignKey : key;
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signing.getPrivateKey());
        jws.setKeyIdHeaderValue(signing.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static boolean clientAuthenticated(HttpExchange exchange, Map<String, String> form) {
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        return expected.equals(basic) || CLIENT_SECRET.equals(form.get("client_secret"));
    }

    private static boolean pkceHolds(String challenge, String verifier) {
        if (challenge == null || verifier == null) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).equals(challenge);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            values.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return values;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
