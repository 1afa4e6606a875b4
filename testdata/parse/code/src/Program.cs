var url = Environment.GetEnvironmentVariable("QUEUE_URL") ?? "amqp://localhost";
var key = Environment.GetEnvironmentVariable("API_KEY");
