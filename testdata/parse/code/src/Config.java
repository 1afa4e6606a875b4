public final class Config {
    /* System.getenv("COMMENTED") */
    static final String URL = System.getenv("PAYMENTS_URL");
    static final char SEP = '/';
    static final String HINT = "// System.getenv(\"IN_STRING\") is not a comment";
}
