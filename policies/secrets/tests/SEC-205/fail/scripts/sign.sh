#!/bin/sh
jarsigner -keystore release.jks -storepass <<ward:SEC-205>> app.apk upload
