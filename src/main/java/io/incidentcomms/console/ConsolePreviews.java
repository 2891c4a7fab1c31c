package io.incidentcomms.console;

import java.time.Clock;
import java.util.List;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.incident.DraftPreviews;
import io.incidentcomms.incident.IncidentService;
import io.incidentcomms.incident.IncidentViews.UpdateView;
import io.incidentcomms.incident.MessageOption;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/** Previews of what a form would send, and of a saved draft, for the console's pages. */
@ApplicationScoped
public class ConsolePreviews {

    /** The source recorded on what the console declares and posts. */
    public static final String SOURCE = "console";

    private final DraftPreviews drafts;
    private final IncidentService incidents;
    private final io.incidentcomms.incident.IncidentQueries queries;
    private final MessageSamples samples;
    private final ConsoleCommands commands;
    private final Clock clock;
    private final io.incidentcomms.audience.AudienceResolver audience;

    ConsolePreviews(DraftPreviews drafts, IncidentService incidents, io.incidentcomms.incident.IncidentQueries queries,
            MessageSamples samples, ConsoleCommands commands, Clock clock, io.incidentcomms.audience.AudienceResolver audience) {
        this.audience = audience;
        this.drafts = drafts;
        this.incidents = incidents;
        this.queries = queries;
        this.samples = samples;
        this.commands = commands;
        this.clock = clock;
    }

    public ConsolePreview declaration(ComposeForm form, Actor actor) {
        try {
            DraftPreviews.DraftPreview preview = drafts.declaration(commands.valid(form.declaration(clock.instant())), actor,
                    SOURCE);
            return of(preview.update(), preview.incident().review(), preview);
        } catch (ProblemException e) {
            return ConsolePreview.invalid(ConsolePages.errors(e));
        } catch (jakarta.persistence.PersistenceException e) {
            // another declaration took the key this preview borrowed, between reading and writing it
            return ConsolePreview.invalid(java.util.Map.of("", "The preview could not be made just now; it follows your next change."));
        }
    }

    public ConsolePreview update(String key, ComposeForm form, List<MessageOption> open, Actor actor) {
        try {
            DraftPreviews.DraftPreview preview = drafts.update(key, commands.valid(form.update(clock.instant(), open)), actor);
            return of(preview.update(), preview.update().review(), preview);
        } catch (ProblemException e) {
            return ConsolePreview.invalid(ConsolePages.errors(e));
        }
    }

    /** A saved draft: its messages, review and promise as they would be if it were published now. */
    public ConsolePreview draft(String key, int seq) {
        UpdateView draft = incidents.preview(key, seq);
        return new ConsolePreview(samples.of(queries.messageSource(key, seq)), draft.review(),
                ConsolePages.time(draft.nextUpdateBy()), java.util.Map.of(),
                audience.preview(queries.audienceTarget(key)).subscribersPerScope());
    }

    private ConsolePreview of(UpdateView update, io.incidentcomms.message.MessageReview.Review review,
            DraftPreviews.DraftPreview preview) {
        return new ConsolePreview(samples.of(preview.source()), review,
                ConsolePages.time(preview.source().nextUpdateBy()),
                java.util.Map.of(), audience.subscribersPerScope(preview.incident().scopes()));
    }
}
