package io.incidentcomms.delivery;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;

/**
 * The Twilio SDK's HTTP client, with two changes: requests go to a configurable base URL (the SDK
 * always calls *.twilio.com), and every request is made exactly once — the SDK retries 5xx, and
 * Apache's client 429/503, which could send one SMS twice. Retrying is the dispatcher's decision.
 */
final class TwilioHttpClient extends HttpClient {

    private final NetworkHttpClient delegate;
    private final String baseUrl;

    TwilioHttpClient(String baseUrl, int connections, java.time.Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        HttpClientBuilder builder = HttpClientBuilder.create().disableAutomaticRetries()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(connections).setMaxConnPerRoute(connections)
                        // with retries off, a pooled connection the server already closed must be
                        // found out before a request goes on it, not by failing that request
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .setConnectTimeout(Timeout.ofMilliseconds(timeout.toMillis())).build())
                        // a response timeout set per request is overwritten by the SDK; the socket one holds
                        .setDefaultSocketConfig(SocketConfig.custom()
                                .setSoTimeout(Timeout.ofMilliseconds(timeout.toMillis())).build())
                        .build());
        this.delegate = new NetworkHttpClient(builder);
    }

    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        // the path from the raw URL: constructURL() would encode it a second time
        String path = URI.create(request.getUrl()).getRawPath();
        Request copy = new Request(request.getMethod(), baseUrl + path);
        if (request.getAuthStrategy() != null) {
            copy.setAuth(request.getAuthStrategy());
        } else if (request.getUsername() != null) {
            copy.setAuth(request.getUsername(), request.getPassword());
        }
        copy.setContentType(request.getContentType());
        if (request.getBody() != null) {
            copy.setBody(request.getBody());
        }
        copyParams(request.getPostParams(), copy::addPostParam);
        copyParams(request.getQueryParams(), copy::addQueryParam);
        copyParams(request.getHeaderParams(), copy::addHeaderParam);
        return delegate.makeRequest(copy);
    }

    private static void copyParams(Map<String, List<String>> params, java.util.function.BiConsumer<String, String> add) {
        params.forEach((name, values) -> values.forEach(value -> add.accept(name, value)));
    }
}
