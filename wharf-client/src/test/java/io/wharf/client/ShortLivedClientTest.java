package io.wharf.client;

/** Every test of {@link WharfClientTest}, with plain calls over HttpURLConnection as a command line makes them. */
class ShortLivedClientTest extends WharfClientTest {
    @Override
    WharfClient.Builder configure(WharfClient.Builder b) {
        return b.shortLived();
    }
}
