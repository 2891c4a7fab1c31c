package io.incidentcomms.audience;

/** Contact data never appears in clear in logs: {@code j***@example.com}, {@code +44******789}. */
public final class Masking {

    private static final java.util.regex.Pattern EMAILS = java.util.regex.Pattern.compile(
            "[\\p{L}\\p{N}._%+'=-]+@[\\p{L}\\p{N}.-]+\\.[\\p{L}]{2,}");
    /** A phone number as providers echo it: +4474..., 0044 74..., (415) 555-0100. */
    private static final java.util.regex.Pattern PHONES = java.util.regex.Pattern.compile(
            "\\+?\\(?\\d[\\d ().-]{5,}\\d");

    private Masking() {
    }

    /**
     * Free text from a provider (an error, a diagnostic) with every email address and phone
     * number in it masked, fit to be logged and stored: providers echo the recipient's address.
     */
    public static String inText(String text) {
        if (text == null) {
            return null;
        }
        String masked = EMAILS.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(email(m.group())));
        return PHONES.matcher(masked).replaceAll(m -> {
            if (m.group().matches("\\d{4}-\\d{2}-\\d{2}.*")) {
                return java.util.regex.Matcher.quoteReplacement(m.group()); // a date, not a number
            }
            String digits = m.group().replaceAll("[^+\\d]", "");
            return digits.replace("+", "").length() >= 7 ? java.util.regex.Matcher.quoteReplacement(phone(digits))
                    : java.util.regex.Matcher.quoteReplacement(m.group());
        });
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
