package io.incidentcomms.statuspage.signup;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** What signing up says, on its pages and in its email and SMS. English here; others in {@code messages/signup_<locale>.properties}. */
@MessageBundle("signup")
public interface SignupMessages {

    @Message("Subscribe to updates")
    String title();

    @Message("Get an email or a text message when something goes wrong with what you use, and when it is fixed.")
    String intro();

    @Message("Email address")
    String email();

    @Message("Mobile number (with country code, such as +44 7400 123456)")
    String phone();

    @Message("Give an email address, a mobile number, or both.")
    String oneOfThem();

    @Message("What to hear about")
    String what();

    @Message("Everything")
    String everything();

    @Message("Choose nothing to hear about everything.")
    String everythingHint();

    @Message("{group}: all of it")
    String wholeGroup(String group);

    @Message("Back to the status page")
    String backToStatus();

    @Message("Language")
    String language();

    @Message("Time zone")
    String timeZone();

    @Message("Leave this empty")
    String honeypot();

    @Message("Subscribe")
    String submit();

    @Message("By subscribing with a mobile number you agree to receive text messages about incidents. Reply STOP to end them.")
    String smsConsent();

    @Message("Check your messages")
    String checkTitle();

    @Message("If {address} can be subscribed, an email with a confirmation link is on its way. Open it within a day to start getting updates.")
    String checkEmail(String address);

    @Message("If {number} can be subscribed, a text message with a six-digit code is on its way. Enter it here within 10 minutes.")
    String checkSms(String number);

    @Message("Code")
    String code();

    @Message("Confirm")
    String confirm();

    @Message("That code is not right. {tries} tries left.")
    String wrongCode(int tries);

    @Message("This code or link has expired. Please sign up again.")
    String expired();

    @Message("Confirm your subscription")
    String confirmTitle();

    @Message("Press the button to start getting updates at {address}.")
    String confirmText(String address);

    @Message("You are subscribed")
    String doneTitle();

    @Message("You will hear from us when something goes wrong and when it is fixed.")
    String doneText();

    @Message("Manage your subscription")
    String manage();

    @Message("Too many sign-ups")
    String tooManyTitle();

    @Message("Too many sign-ups came from here. Please try again after {time}.")
    String tooMany(String time);

    @Message("Confirm your {brand} subscription")
    String confirmSubject(String brand);

    @Message("Hello,")
    String hello();

    @Message("someone (we hope you) asked to get {brand} status updates at this address. To confirm, open this link within a day and press the button:")
    String confirmMail(String brand);

    @Message("If it was not you, ignore this email: nothing happens without the confirmation.")
    String confirmIgnore();

    @Message("Your {brand} subscription")
    String manageSubject(String brand);

    @Message("someone (we hope you) asked to get {brand} status updates at this address, which already gets them. To change what you hear about, or to stop, open:")
    String manageMail(String brand);

    @Message("{brand}: your code is {code}. It expires in 10 minutes.")
    String codeSms(String brand, String code);

    @Message("{brand}: this number already gets status updates. Manage them: {link}")
    String alreadySms(String brand, String link);
}
