# ENV["COMMENTED_OUT"]
class Config
  SECRET = ENV["SECRET_KEY_BASE"]
  POOL = ENV.fetch("DB_POOL", 5)
  HOST = ENV.fetch("APP_HOST") { "localhost" }
  REGION = ENV.fetch("AWS_REGION")
end
=begin
ENV["IN_BLOCK_COMMENT"]
=end
