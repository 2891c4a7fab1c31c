package io.incidentcomms.platform.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * What every customer page says around its content, and the pages for what went wrong. English
 * here; other languages in {@code messages/page_<locale>.properties}.
 */
@MessageBundle("page")
public interface PageMessages {

    @Message("Language")
    String language();

    @Message("Something went wrong")
    String errorTitle();

    @Message("We could not do that just now. Please try again in a few minutes.")
    String errorText();

    @Message("Reference: {reference}")
    String errorReference(String reference);

    @Message("This link is not valid")
    String invalidLinkTitle();

    @Message("We do not recognise this link. It may be incomplete: open it again from the message we sent you. Every new message brings a fresh link.")
    String invalidLinkText();

    @Message("This link has expired")
    String expiredLinkTitle();

    @Message("This link is too old to change your settings. It still lets you stop all messages, and every new message we send brings a fresh link.")
    String expiredLinkText();

    @Message("This message is no longer here")
    String expiredMessageTitle();

    @Message("Links to a whole message work for a few days. Our next message about this brings a new link.")
    String expiredMessageText();

    @Message("Page not found")
    String notFoundTitle();

    @Message("There is nothing here. If you followed a link from one of our messages, it may have been mistyped or removed.")
    String notFoundText();

    @Message("This is not possible")
    String refusedTitle();

    @Message("We could not do that with this link.")
    String refusedText();

    @Message("Too many requests")
    String tooManyTitle();

    @Message("Please wait a moment before you try again.")
    String tooManyText();

    @Message("Everything")
    String everything();

    @Message("All components")
    String allComponents();

    @Message("All regions")
    String allRegions();

    @Message("All locations")
    String allLocations();

    @Message("All accounts")
    String allAccounts();

    @Message("component")
    String kindComponent();

    @Message("region")
    String kindRegion();

    @Message("location")
    String kindLocation();

    @Message("account")
    String kindAccount();

    @Message("Messages about service disruptions")
    String footer();
}
