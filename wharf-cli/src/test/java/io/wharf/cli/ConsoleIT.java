package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser: Debian's Chromium, driven by its ChromeDriver, against {@code wharf up}. Each
 * step saves a screenshot under {@code target/console-screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    private WharfProcess wharf;
    private ChromeDriver browser;
    /** Requests through the load balancer from the scale on, so that the charts and figures have something. */
    private Load load;

    @BeforeAll
    void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String why = "Chromium and ChromeDriver are needed (apt-get install chromium chromium-driver)";
            if ("true".equals(System.getenv("CI"))) Assertions.fail(why);
            Assumptions.abort(why);
        }
        Files.createDirectories(SHOTS);
        wharf = new WharfProcess(data, "127.0.86.0/24").start();
        assertThat(wharf.serverOutput()).contains("console: " + wharf.url() + "/ui");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,800",
                "--user-data-dir=" + Files.createTempDirectory(data, "chromium"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() throws Exception {
        if (load != null) load.close();
        if (browser != null) browser.quit();
        if (wharf != null) wharf.close();
    }

    @Test
    @Order(1)
    void aWrongTokenIsRefused() throws Exception {
        browser.get(wharf.url() + "/ui");
        assertThat(browser.getCurrentUrl()).contains("/ui/signin");
        browser.findElement(By.id("token")).sendKeys("not-a-token" + Keys.ENTER);
        WebElement error = waitFor(By.cssSelector("[data-error]"), Duration.ofSeconds(10));
        assertThat(error.getText()).contains("not known");
        assertThat(browser.getCurrentUrl()).contains("/ui/signin");
        shot("signin-refused");

        HttpResponse<String> direct = raw(
                "POST", "/ui/signin", "token=not-a-token", Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(direct.statusCode()).isEqualTo(401);
    }

    @Test
    @Order(2)
    void signedInTheOverviewListsTheDemoWithTwoReadyReplicas() throws Exception {
        signIn(adminToken());
        assertThat(browser.getCurrentUrl()).endsWith("/ui");
        WebElement ready = waitFor(
                By.cssSelector("tr[data-service='default/demo'] td[data-ready='2'][data-desired='2']"),
                Duration.ofSeconds(60));
        assertThat(ready.getText()).isEqualTo("2 / 2");
        assertThat(js("return document.querySelector(\"tr[data-host='local']\").textContent;"))
                .asString()
                .contains("ready");
        // keyboard: the first Tab reaches the skip link, which leads to the content
        browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Skip to content");
        shot("overview");
    }

    @Test
    @Order(3)
    void aScaleDoneFromTheApiAppearsOnTheServicePageWithoutAReload() throws Exception {
        browser.get(wharf.url() + "/ui/services/default/demo");
        waitFor(By.cssSelector("tr[data-endpoint][data-state='up']"), Duration.ofSeconds(30));
        // the live stream is open (the page says so), and a mark that a reload would wipe out
        waitFor(By.cssSelector("[data-live='open']"), Duration.ofSeconds(10));
        js("window.wharfMark = 'same page';");

        ObjectNode spec = (ObjectNode) JSON.readTree(
                wharf.http().get("/v1/namespaces/default/services/demo/spec").body());
        spec.put("replicas", 4);
        long applied = System.nanoTime();
        assertThat(wharf.http().post("/v1/apply", spec.toString()).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.cssSelector("strong[data-desired]"))
                        .getText()
                        .equals("4"));
        long seenMillis = (System.nanoTime() - applied) / 1_000_000;
        assertThat(js("return window.wharfMark;"))
                .as("the page was not reloaded")
                .isEqualTo("same page");
        System.out.println("console: replicas 4 seen on the service page " + seenMillis + " ms after the apply");

        await().atMost(Duration.ofSeconds(90))
                .until(() -> browser.findElements(By.cssSelector("tr[data-endpoint][data-state='up']"))
                                .size()
                        == 4);
        assertThat(js("return window.wharfMark;")).isEqualTo("same page");
        load = Load.paced("http://" + wharf.lbAddress() + ":" + LocalPlatform.DEMO_PORT + "/", 40);
        shot("service-4-replicas");
    }

    @Test
    @Order(4)
    void aReleaseStartedFromTheConsoleShowsItsTimelineAndEndsDone() throws Exception {
        browser.get(wharf.url() + "/ui/services/default/demo");
        new Select(waitFor(By.id("version"), Duration.ofSeconds(10))).selectByValue("v2");
        new Select(browser.findElement(By.id("mode"))).selectByValue("in-place");
        WebElement parallelism = browser.findElement(By.id("parallelism"));
        parallelism.clear();
        parallelism.sendKeys("2");
        shot("release-form");
        browser.findElement(By.cssSelector("form[data-form='release'] button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> {
            try {
                d.switchTo().alert().accept();
                return true;
            } catch (org.openqa.selenium.NoAlertPresentException e) {
                return false;
            }
        });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.getCurrentUrl().contains("/ui/releases/rel-"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.findElements(By.cssSelector("table[data-table='timeline'] tr[data-endpoint]"))
                                .size()
                        == 4);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !browser.findElements(By.cssSelector("tr[data-endpoint] svg rect"))
                        .isEmpty());
        shot("release-running");
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(250))
                .until(() ->
                        "COMPLETED".equals(js("return document.querySelector('strong[data-status]').dataset.status;")));
        // the page is final now: read it at once, not element by element while it could still be swapped
        assertThat(js("return Array.from(document.querySelectorAll('td[data-step]')).map(e => e.dataset.step);"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .containsExactly("done", "done", "done", "done");
        assertThat(js("return document.querySelectorAll('rect.step-draining').length;"))
                .isEqualTo(4L);
        assertThat(js("return document.querySelectorAll('rect.step-checking').length;"))
                .isEqualTo(4L);
        shot("release-done");

        // what the load balancers served while it ran: on the overview, and as points of the service's charts
        browser.get(wharf.url() + "/ui");
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> Double.parseDouble((String)
                                js("return document.querySelector(\"tr[data-service='default/demo'] td[data-rps]\")"
                                        + ".dataset.rps;"))
                        > 0);
        assertThat(load.failures()).as("requests failed through the release").isEmpty();
        browser.get(wharf.url() + "/ui/services/default/demo");
        waitFor(By.cssSelector("figure.chart .uplot"), Duration.ofSeconds(10));
        assertThat(js("return JSON.parse(document.querySelector('figure.chart').dataset.chart).data[1]"
                        + ".some(v => v > 0);"))
                .isEqualTo(true);
        shot("service-traffic");
    }

    @Test
    @Order(5)
    void aReadOnlyTokenSeesNoActionAndItsPostsAreRefused() throws Exception {
        WharfProcess.Result made = wharf.cli("token", "create", "--read-only");
        assertThat(made.exit()).as(made.err()).isZero();
        String token = made.out().trim();
        assertThat(token).startsWith("wr-");
        browser.manage().deleteAllCookies();
        signIn(token);
        browser.get(wharf.url() + "/ui/services/default/demo");
        waitFor(By.cssSelector("[data-readonly]"), Duration.ofSeconds(10));
        waitFor(By.cssSelector("tr[data-endpoint]"), Duration.ofSeconds(10));
        assertThat(browser.findElements(By.cssSelector("main form, main button")))
                .isEmpty();
        assertThat(browser.findElement(By.cssSelector("[data-who]")).getText()).contains("read-only");
        shot("read-only");

        var apiPost = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(wharf.url() + "/v1/apply"))
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(apiPost.statusCode()).isEqualTo(403);
        var consolePost = raw(
                "POST",
                "/ui/services/default/demo/scale",
                "replicas=1",
                Map.of(
                        "Content-Type", "application/x-www-form-urlencoded",
                        "HX-Request", "true",
                        "Cookie", "wharf_console=" + token));
        assertThat(consolePost.statusCode()).isEqualTo(403);
        assertThat(consolePost.body()).contains("needs the admin token");

        // the admin's actions: the API's checks, the field and the reason; and never without the console's header
        String admin = "wharf_console=" + adminToken();
        var invalid = raw(
                "POST",
                "/ui/services/default/demo/scale",
                "replicas=-1",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "HX-Request", "true", "Cookie", admin));
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.body()).contains("replicas");
        var forged = raw(
                "POST",
                "/ui/services/default/demo/scale",
                "replicas=1",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", admin));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(wharf.http()
                                .get("/v1/namespaces/default/services/demo/spec")
                                .body())
                        .get("replicas")
                        .asInt())
                .isEqualTo(4);
    }

    @Test
    @Order(6)
    void narrowScreenAndNoErrorsInTheBrowser() throws Exception {
        signIn(adminToken());
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(wharf.url() + "/ui");
        waitFor(By.cssSelector("tr[data-service='default/demo']"), Duration.ofSeconds(10));
        assertThat(browser.findElements(By.cssSelector("tr[data-operation] td[data-status='COMPLETED']")))
                .as("the release just done is listed under operations, not as running")
                .isEmpty();
        browser.get(wharf.url() + "/ui/operations");
        waitFor(By.cssSelector("tr[data-operation^='rel-'] td[data-status='COMPLETED']"), Duration.ofSeconds(10));
        shot("operations-narrow");
        browser.get(wharf.url() + "/ui");
        waitFor(By.cssSelector("tr[data-service='default/demo']"), Duration.ofSeconds(10));
        shot("overview-narrow");
        for (int width : new int[] {390, 1280}) {
            browser.manage().window().setSize(new Dimension(width, 800));
            for (String page : List.of("/ui", "/ui/services/default/demo", "/ui/operations", "/ui/hosts")) {
                browser.get(wharf.url() + page);
                waitFor(By.cssSelector("#live h1"), Duration.ofSeconds(10));
                // pages left behind gave their live streams up: this one did not queue for a connection
                Number queued = (Number) js("var n = performance.getEntriesByType('navigation')[0];"
                        + " return n.connectStart > 0 ? n.connectStart - n.fetchStart : 0;");
                assertThat(queued.doubleValue())
                        .as("%s waited for a connection (ms)", page)
                        .isLessThan(5_000);
                Number scrollWidth = (Number) js("return document.documentElement.scrollWidth;");
                assertThat(scrollWidth.intValue())
                        .as("%s at %d px: nothing wider than the window", page, width)
                        .isLessThanOrEqualTo(width);
            }
        }
        List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .filter(e -> !e.getMessage().contains("/ui/signin")) // the refused sign-in of the first step
                .toList();
        assertThat(severe).as("errors in the browser's console (CSP, scripts)").isEmpty();
    }

    @Test
    @Order(7)
    void aScaleOutTaskIsShownServiceByServiceAndContainerByContainer() throws Exception {
        WharfProcess.Result task = wharf.cli("scale-out", "--group", "demo", "--wait");
        assertThat(task.exit()).as(task.out() + task.err()).isZero();
        browser.get(wharf.url() + "/ui/operations");
        // the list is live: a row redrawn between finding the link and clicking it is found again
        clickWhenPresent(By.cssSelector("tr[data-operation^='so-'] a"), Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.getCurrentUrl().contains("/ui/scale-outs/"));
        waitFor(By.cssSelector("strong[data-status='COMPLETED']"), Duration.ofSeconds(10));
        assertThat(js("return document.querySelector('tr[data-service=\"default/demo\"]').textContent;"))
                .asString()
                .contains("done");
        assertThat(js("return Array.from(document.querySelectorAll('td[data-status]')).map(e => e.dataset.status);"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .hasSize(4)
                .containsOnly("serving");
        shot("scale-out");
    }

    // ----

    private void signIn(String token) throws IOException {
        browser.get(wharf.url() + "/ui/signin");
        WebElement field = waitFor(By.id("token"), Duration.ofSeconds(10));
        field.sendKeys(token + Keys.ENTER);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !browser.getCurrentUrl().contains("/signin"));
    }

    private String adminToken() throws IOException {
        return Files.readString(data.resolve("admin.token")).trim();
    }

    private WebElement waitFor(By what, Duration atMost) {
        return new WebDriverWait(browser, atMost).until(d -> {
            var found = d.findElements(what);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    private void clickWhenPresent(By what, Duration atMost) {
        new WebDriverWait(browser, atMost)
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    var found = d.findElements(what);
                    if (found.isEmpty()) {
                        return false;
                    }
                    found.get(0).click();
                    return true;
                });
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void shot(String name) throws IOException {
        File png = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private HttpResponse<String> raw(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(URI.create(wharf.url() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
