fun main() {
    val url = System.getenv("KAFKA_BROKERS") ?: "localhost:9092"
}
