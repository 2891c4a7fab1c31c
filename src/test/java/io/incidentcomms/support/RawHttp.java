package io.incidentcomms.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** HTTP spoken byte by byte, for tests of exactly the headers clients tidy up (lengths, encodings). */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends the request's bytes to the server at {@code base} and returns the answer's status line (waiting at most 5 s). */
    public static String statusLine(URL base, String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
        }
    }
}
