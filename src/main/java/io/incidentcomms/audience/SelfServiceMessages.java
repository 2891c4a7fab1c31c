package io.incidentcomms.audience;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** What the self-service pages say. English here; other languages in {@code messages/ss_<locale>.properties}. */
@MessageBundle("ss")
public interface SelfServiceMessages {

    @Message("Your notification settings")
    String title();

    @Message("Messages to {address} by email.")
    String messagesByEmail(String address);

    @Message("Messages to {address} by SMS.")
    String messagesBySms(String address);

    @Message("email")
    String channelEmail();

    @Message("SMS")
    String channelSms();

    @Message("This address gets no more messages from us.")
    String optedOut();

    @Message("This link has expired. You can still stop all messages to this address; every new message brings a fresh link.")
    String expired();

    @Message("You will hear nothing more about “{title}”.")
    String muted(String title);

    @Message("Stop messages about “{title}”")
    String mute(String title);

    @Message("What you hear about")
    String subscriptions();

    @Message("Only what concerns you directly.")
    String noSubscriptions();

    @Message("Stop this")
    String dropScope();

    @Message("Stop hearing about {name}")
    String dropScopeLabel(String name);

    @Message("Preferences")
    String preferences();

    @Message("Language")
    String language();

    @Message("Time zone")
    String timeZone();

    @Message("Times in our messages are shown in this time zone.")
    String timeZoneHint();

    @Message("Preferred channel")
    String firstChannel();

    @Message("Save")
    String save();

    @Message("Your preferences are saved.")
    String saved();

    @Message("Stop everything")
    String stopEverythingHeading();

    @Message("Stop all messages")
    String stopEverything();

    @Message("Stop all messages to {address}")
    String stopEverythingTo(String address);

    @Message("Done")
    String doneTitle();

    @Message("You will get no more messages at {address}.")
    String optedOutDone(String address);

    @Message("Changed your mind? You can undo this for the next {minutes} minutes.")
    String undoHint(int minutes);

    @Message("Undo: keep my messages")
    String undo();

    @Message("Your messages continue as before.")
    String undone();

    @Message("Too late to undo here. To hear from us again, contact us or subscribe again.")
    String undoTooLate();

    @Message("Back to your settings")
    String back();
}
