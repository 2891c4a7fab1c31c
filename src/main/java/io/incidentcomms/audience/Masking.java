package io.incidentcomms.audience;

/** Contact data never appears in clear in logs: {@code j***@example.com}, {@code +44******789}. */
public final class Masking {

    private Masking() {
    }

    public static String email(String email) {
        if (email == null) {
            return null;
        }
        int at = email.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }

    public static String phone(String phone) {
        if (phone == null) {
            return null;
        }
        if (phone.length() <= 6) {
            return "******";
        }
        return phone.substring(0, 3) + "*".repeat(phone.length() - 6) + phone.substring(phone.length() - 3);
    }

    public static String address(Channel channel, String address) {
        return channel == Channel.SMS ? phone(address) : email(address);
    }
}
