package io.incidentcomms.feedback;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** What the pages behind an email's option links say. English here; others in {@code messages/answer_<locale>.properties}. */
@MessageBundle("answer")
public interface AnswerMessages {

    @Message("Your choice")
    String chooseTitle();

    @Message("About “{title}”")
    String about(String title);

    @Message("You are choosing: {label}")
    String choosing(String label);

    @Message("Confirm my choice")
    String confirm();

    @Message("Thank you")
    String thanksTitle();

    @Message("We noted your choice for “{title}”: {label}.")
    String noted(String title, String label);

    @Message("You can change your answer at any time by choosing another option.")
    String changeLater();

    @Message("This option is no longer offered")
    String withdrawnTitle();

    @Message("The option you picked is no longer offered for “{title}”.")
    String withdrawnText(String title);

    @Message("You can choose one of these instead:")
    String openNow();

    @Message("There is nothing to choose right now. We will tell you if that changes.")
    String nothingOpen();

    @Message("This link has expired")
    String expiredTitle();

    @Message("This link is too old to take your answer. Every new message we send brings fresh links.")
    String expiredText();

    @Message("Your settings")
    String settings();
}
