keytool -importcert -keystore cacerts -storepass changeit -file ca.pem
