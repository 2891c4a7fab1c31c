package io.incidentcomms.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real Chromium for page tests: Debian's {@code chromium} and {@code chromium-driver}, given to
 * Selenium explicitly so nothing is downloaded. Missing, it fails saying how to install them (it
 * never skips). Screenshots go to {@code target/screenshots/}; {@link #accessibilityProblems} runs
 * axe-core in the page.
 */
public final class Browser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String AXE = "META-INF/resources/webjars/axe-core/4.6.3/axe.min.js";

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Starts a headless Chromium with an empty profile, no network beyond what the test serves. */
    public static Browser start() {
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            throw new IllegalStateException("Page tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver (bash .ci/run installs them)");
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1024,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new Browser(driver);
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Shows an HTML document as a page, from a file under {@code target/}. */
    public void show(String name, String html) {
        try {
            Path file = Path.of("target", "pages", name + ".html").toAbsolutePath();
            Files.createDirectories(file.getParent());
            Files.writeString(file, html, StandardCharsets.UTF_8);
            driver.get(file.toUri().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to 10 s) until an element shows the text, across the page loads of a form's submission. */
    public String waitForText(org.openqa.selenium.By element, java.util.function.Predicate<String> wanted) {
        return new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(10))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(d -> {
                    try {
                        String text = d.findElement(element).getText();
                        return wanted.test(text) ? text : null;
                    } catch (org.openqa.selenium.WebDriverException e) {
                        if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                            return null; // the element was found in the page that was just replaced
                        }
                        throw e;
                    }
                });
    }

    /** Waits (up to 10 s) until the element is in the page, across page loads. */
    public WebElement waitFor(org.openqa.selenium.By element) {
        return new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(10))
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(d -> d.findElement(element));
    }

    /**
     * Shows pages as at {@code percent} zoom: the window's width in CSS pixels divided by the zoom
     * (a browser zoomed to 200 % lays a 1024 px window out as 512 px wide). 100 resets it.
     */
    public void zoom(int percent) {
        if (percent == 100) {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
            return;
        }
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1024 * 100 / percent,
                "height", 900 * 100 / percent, "deviceScaleFactor", percent / 100.0, "mobile", false));
    }

    /** Whether the page is wider than the window, so that a reader must scroll sideways. */
    public boolean scrollsSideways() {
        return (Boolean) driver.executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth + 1;");
    }

    /** The elements that reach past the window's right edge (the first few), to say why a page scrolls sideways. */
    @SuppressWarnings("unchecked")
    public List<String> widerThanTheWindow() {
        return (List<String>) driver.executeScript("""
                const width = document.documentElement.clientWidth;
                return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1)
                    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')
                        + ' ' + Math.round(e.getBoundingClientRect().right));""");
    }

    /** Light or dark, as the operating system would ask for it. */
    public void colourScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** axe-core's serious and critical violations on the page now, one line each. */
    @SuppressWarnings("unchecked")
    public List<String> accessibilityProblems() {
        driver.executeScript(axeSource());
        Object result = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                   .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                       .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                   .catch(e => done(['axe failed: ' + e]));""");
        return (List<String>) result;
    }

    private static String axeSource() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(AXE)) {
            if (in == null) {
                throw new IllegalStateException("axe-core is missing from the test classpath (" + AXE + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The WCAG contrast ratio between an element's text colour and the background behind it. */
    public double contrast(WebElement element) {
        String foreground = element.getCssValue("color");
        String background = (String) driver.executeScript("""
                let e = arguments[0];
                while (e) {
                  const c = getComputedStyle(e).backgroundColor;
                  if (c && c !== 'transparent' && !c.endsWith(', 0)')) { return c; }
                  e = e.parentElement;
                }
                return 'rgb(255, 255, 255)';""", element);
        return ratio(luminance(foreground), luminance(background));
    }

    private static final Pattern RGB = Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)");

    static double luminance(String css) {
        Matcher m = RGB.matcher(css);
        if (!m.find()) {
            throw new IllegalArgumentException("Not an rgb colour: " + css);
        }
        double[] weights = { 0.2126, 0.7152, 0.0722 };
        double luminance = 0;
        for (int i = 0; i < 3; i++) {
            double c = Integer.parseInt(m.group(i + 1)) / 255.0;
            luminance += weights[i] * (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
        }
        return luminance;
    }

    static double ratio(double a, double b) {
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
