package io.incidentcomms.console.signin;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.audit.AuditLog;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Console users: signing in (throttled), changing a password, and the admin's list of users. */
@ApplicationScoped
public class ConsoleUsers {

    /** How a sign-in ended: a session token, or why not. */
    public sealed interface SignIn {
        record SignedIn(String token) implements SignIn {
        }

        record Wrong() implements SignIn {
        }

        record Throttled(Instant until) implements SignIn {
        }

        /** The identity provider vouched for the user, but the console will not let them in; says why. */
        record Refused(String why) implements SignIn {
        }
    }

    public record UserRow(String username, ConsoleRole role, boolean singleSignOn, Instant createdAt,
            Instant passwordChangedAt) {
    }

    private static final String USERNAME = "[a-z0-9][a-z0-9._@-]{1,99}";

    private final SignInThrottle throttle;
    private final ConsoleSessions sessions;
    private final AuditLog audit;
    private final Clock clock;

    ConsoleUsers(SignInThrottle throttle, ConsoleSessions sessions, AuditLog audit, Clock clock) {
        this.throttle = throttle;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    public static Actor actor(String username) {
        return new Actor("user:" + username);
    }

    @Transactional(dontRollbackOn = ProblemException.class)
    public SignIn signIn(String username, String password, String client) {
        String name = normalize(username);
        Optional<Instant> throttled = throttle.throttledUntil(name, client);
        if (throttled.isPresent()) {
            audit.record(actor(name), "console.sign-in-throttled", name, null);
            return new SignIn.Throttled(throttled.get());
        }
        Optional<ConsoleUser> user = name.isEmpty() ? Optional.empty() : ConsoleUser.byUsername(name);
        if (!Passwords.matches(password, user.map(u -> u.passwordHash).orElse(null))) {
            throttle.failed(name, client);
            audit.record(actor(name), "console.sign-in-failed", name, null);
            return new SignIn.Wrong();
        }
        throttle.succeeded(name);
        audit.record(actor(name), "console.sign-in", name, null);
        return new SignIn.SignedIn(sessions.start(user.get()));
    }

    /**
     * Signs in someone the identity provider vouched for, with the role their groups give (kept up to
     * date at every sign-in). A name that belongs to a password user here is refused, so that nobody
     * at the provider can take over a local account by choosing its name.
     */
    @Transactional
    public SignIn signInThroughProvider(String username, Optional<ConsoleRole> role) {
        String name = normalize(username);
        if (!name.matches(USERNAME)) {
            audit.record(actor(name), "console.sign-in-refused", name, "single sign-on: no usable user name");
            return new SignIn.Refused("The identity provider gave no user name the console can use.");
        }
        Optional<ConsoleUser> existing = ConsoleUser.byUsername(name);
        if (existing.isPresent() && !existing.get().signsInThroughProvider()) {
            audit.record(actor(name), "console.sign-in-refused", name, "single sign-on: name of a password user");
            return new SignIn.Refused("The console user " + name
                    + " signs in with a password here; an admin can remove that user to let single sign-on use the name.");
        }
        if (role.isEmpty()) {
            existing.ifPresent(user -> sessions.endAllOf(user.id, null));
            audit.record(actor(name), "console.sign-in-refused", name, "single sign-on: no console role");
            return new SignIn.Refused("Your account has no console role: none of your groups is one the console maps to a role.");
        }
        ConsoleUser user = existing.orElseGet(() -> {
            ConsoleUser created = new ConsoleUser();
            created.username = name;
            created.signsInWith = ConsoleUser.SSO;
            created.createdAt = clock.instant();
            created.passwordChangedAt = created.createdAt;
            created.role = role.get();
            created.persist();
            audit.record(Actor.SYSTEM, "console.user-create", name, role.get().wire() + " (single sign-on)");
            return created;
        });
        if (user.role != role.get()) {
            audit.record(Actor.SYSTEM, "console.user-role", name, user.role.wire() + " -> " + role.get().wire()
                    + " (from the identity provider)");
            user.role = role.get();
        }
        audit.record(actor(name), "console.sign-in", name, "single sign-on");
        return new SignIn.SignedIn(sessions.start(user));
    }

    @Transactional
    public void signOut(String username, String token) {
        sessions.end(token);
        audit.record(actor(username), "console.sign-out", username, null);
    }

    /** Changes the signed-in user's password; every other session of theirs ends. */
    @Transactional
    public void changePassword(String username, String current, String next, String keepToken) {
        ConsoleUser user = ConsoleUser.byUsername(username).orElseThrow(() -> ProblemException.notFound("User " + username));
        if (user.signsInThroughProvider()) {
            throw ProblemException.invalidField("current", "you sign in through single sign-on; change your password there");
        }
        if (!Passwords.matches(current, user.passwordHash)) {
            throw ProblemException.invalidField("current", "is not your current password");
        }
        String problem = Passwords.problem(next);
        if (problem != null) {
            throw ProblemException.invalidField("password", problem);
        }
        user.passwordHash = Passwords.hash(next);
        user.passwordChangedAt = clock.instant();
        sessions.endAllOf(user.id, keepToken);
        audit.record(actor(username), "console.password-change", username, null);
    }

    @Transactional
    public void create(String username, ConsoleRole role, String password, Actor by) {
        String name = normalize(username);
        if (!name.matches(USERNAME)) {
            throw ProblemException.invalidField("username",
                    "2 to 100 lower-case letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        String problem = Passwords.problem(password);
        if (problem != null) {
            throw ProblemException.invalidField("password", problem);
        }
        if (ConsoleUser.byUsername(name).isPresent()) {
            throw ProblemException.conflict("user-exists", "A user named " + name + " exists already");
        }
        insert(name, role, password);
        audit.record(by, "console.user-create", name, role.wire());
    }

    @Transactional
    public void remove(String username, Actor by) {
        if (ConsoleUser.delete("username", normalize(username)) == 0) {
            throw ProblemException.notFound("User " + username);
        }
        audit.record(by, "console.user-remove", normalize(username), null);
    }

    @Transactional
    public List<UserRow> list() {
        return ConsoleUser.<ConsoleUser> listAll(io.quarkus.panache.common.Sort.by("username")).stream()
                .map(u -> new UserRow(u.username, u.role, u.signsInThroughProvider(), u.createdAt,
                        u.signsInThroughProvider() ? null : u.passwordChangedAt)).toList();
    }

    @Transactional
    boolean none() {
        return ConsoleUser.count() == 0;
    }

    /** Creates the first admin when the console has no user yet; answers whether it did. */
    @Transactional
    boolean createFirstAdmin(String username, String password) {
        if (ConsoleUser.count() > 0) {
            return false;
        }
        insert(normalize(username), ConsoleRole.ADMIN, password);
        audit.record(Actor.SYSTEM, "console.user-create", normalize(username), "admin (first, from the environment)");
        return true;
    }

    private void insert(String name, ConsoleRole role, String password) {
        ConsoleUser user = new ConsoleUser();
        user.username = name;
        user.role = role;
        user.passwordHash = Passwords.hash(password);
        user.createdAt = clock.instant();
        user.passwordChangedAt = user.createdAt;
        user.persist();
    }

    static String normalize(String username) {
        return username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
    }
}
