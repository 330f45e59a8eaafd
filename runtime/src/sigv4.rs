//! AWS Signature Version 4, for schemes an API gateway marks `awsSigv4`: each attempt is
//! signed as it is about to be sent (a retried request is signed again, with a new date), by
//! `aws-sigv4`, AWS's own implementation, with the crate's `sigv4` feature.

use super::auth::{BoxError, Secret};
use super::client::BuildError;
use super::environment::{EnvRole, Environment, Found};
use std::fmt;

/// AWS credentials and where requests are signed for.
#[derive(Clone)]
pub struct AwsCredentials {
    access_key_id: String,
    secret_access_key: Secret,
    session_token: Option<Secret>,
    region: Option<String>,
    service: String,
}

impl fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key)
            .field("session_token", &self.session_token.as_ref().map(|_| "<redacted>"))
            .field("region", &self.region)
            .field("service", &self.service)
            .finish()
    }
}

impl AwsCredentials {
    /// An access key and its secret, signing for the `execute-api` service (API Gateway) in
    /// the region the host names (`abc.execute-api.eu-west-1.amazonaws.com`) unless
    /// [`region`](Self::region) says.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        AwsCredentials {
            access_key_id: access_key_id.into(),
            secret_access_key: Secret::new(secret_access_key),
            session_token: None,
            region: None,
            service: "execute-api".to_owned(),
        }
    }

    /// The session token of temporary credentials.
    pub fn session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(Secret::new(token));
        self
    }

    /// The region requests are signed for.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The service requests are signed for (`execute-api` by default).
    pub fn service(mut self, service: impl Into<String>) -> Self {
        self.service = service.into();
        self
    }

    /// The credentials the usual AWS variables hold, if the access key id is set.
    pub(crate) fn from_env(env: &Environment, found: &Found) -> Result<Option<Self>, BuildError> {
        let Some((id, secret)) = env.pair(found, EnvRole::AwsAccessKeyId, EnvRole::AwsSecretAccessKey)? else {
            return Ok(None);
        };
        let mut credentials = AwsCredentials::new(id, secret);
        if let Some(token) = found.text(EnvRole::AwsSessionToken) {
            credentials = credentials.session_token(token);
        }
        if let Some(region) = found.text(EnvRole::AwsRegion) {
            credentials = credentials.region(region);
        }
        Ok(Some(credentials))
    }

    /// The region to sign for: the one set, or the one an AWS host names.
    fn region_for(&self, url: &reqwest::Url) -> Result<String, BoxError> {
        if let Some(region) = &self.region {
            return Ok(region.clone());
        }
        let host = url.host_str().unwrap_or("");
        let labels: Vec<&str> = host.split('.').collect();
        labels
            .windows(2)
            .find(|pair| pair[0] == self.service)
            .map(|pair| pair[1].to_owned())
            .filter(|region| region.contains('-'))
            .ok_or_else(|| {
                BoxError::from(format!(
                    "no AWS region to sign for: the host {host} names none; set one (AwsCredentials::region, or AWS_REGION)"
                ))
            })
    }

    /// Signs `request` in place: `Authorization`, `x-amz-date` and, for temporary
    /// credentials, `x-amz-security-token`. A body that is a stream is signed as
    /// `UNSIGNED-PAYLOAD`.
    #[cfg(feature = "sigv4")]
    pub(crate) fn sign(&self, request: &mut reqwest::Request) -> Result<(), BoxError> {
        self.sign_at(request, std::time::SystemTime::now())
    }

    /// [`sign`](Self::sign) as of `time`.
    #[cfg(feature = "sigv4")]
    fn sign_at(&self, request: &mut reqwest::Request, time: std::time::SystemTime) -> Result<(), BoxError> {
        use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
        let region = self.region_for(request.url())?;
        let identity = aws_credential_types::Credentials::new(
            &self.access_key_id,
            self.secret_access_key.expose(),
            self.session_token.as_ref().map(|t| t.expose().to_owned()),
            None,
            "client",
        )
        .into();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(&region)
            .name(&self.service)
            .time(time)
            .settings(SigningSettings::default())
            .build()?
            .into();
        let body = match request.body().map(reqwest::Body::as_bytes) {
            None => SignableBody::Bytes(&[]),
            Some(Some(bytes)) => SignableBody::Bytes(bytes),
            Some(None) => SignableBody::UnsignedPayload,
        };
        // What an earlier signature added (a redirect's hop is signed again) is not signed.
        let earlier = [
            "authorization",
            "x-amz-date",
            "x-amz-security-token",
            "x-amz-content-sha256",
        ];
        let headers: Vec<(&str, &str)> = request
            .headers()
            .iter()
            .filter(|(name, _)| !earlier.contains(&name.as_str()))
            .filter_map(|(name, value)| value.to_str().ok().map(|v| (name.as_str(), v)))
            .collect();
        let signable = SignableRequest::new(
            request.method().as_str(),
            request.url().as_str(),
            headers.into_iter(),
            body,
        )?;
        let (instructions, _) = sign(signable, &params)?.into_parts();
        let signed: Vec<(String, String)> = instructions
            .headers()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        for (name, value) in signed {
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())?;
            request.headers_mut().insert(name, super::auth::sensitive(&value)?);
        }
        Ok(())
    }

    /// Without the `sigv4` feature nothing is signed, and nothing is sent.
    #[cfg(not(feature = "sigv4"))]
    pub(crate) fn sign(&self, request: &mut reqwest::Request) -> Result<(), BoxError> {
        self.region_for(request.url())?;
        Err(BoxError::from(
            "this operation's requests are signed with AWS Signature Version 4: build the crate with its `sigv4` feature",
        ))
    }
}

#[cfg(all(test, feature = "sigv4"))]
mod tests {
    use super::AwsCredentials;
    use std::time::{Duration, UNIX_EPOCH};

    /// AWS's own test vector `get-vanilla` (the SigV4 test suite): a GET of
    /// `https://example.amazonaws.com/` on 2015-08-30 at 12:36:00 UTC.
    #[test]
    fn a_request_is_signed_as_the_aws_test_suite_says() {
        let credentials = AwsCredentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
            .region("us-east-1")
            .service("service");
        let url = reqwest::Url::parse("https://example.amazonaws.com/").expect("a URL");
        let mut request = reqwest::Request::new(reqwest::Method::GET, url);
        let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        credentials.sign_at(&mut request, time).expect("signs");
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(header("x-amz-date").as_deref(), Some("20150830T123600Z"));
        assert_eq!(
            header("authorization").as_deref(),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                 SignedHeaders=host;x-amz-date, \
                 Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
            )
        );
        assert!(request.headers().get("authorization").is_some_and(|v| v.is_sensitive()));
        assert!(!format!("{credentials:?}").contains("EXAMPLEKEY"));
    }

    #[test]
    fn the_region_comes_from_an_api_gateway_host_unless_set() {
        let credentials = AwsCredentials::new("id", "secret");
        let host = |h: &str| reqwest::Url::parse(h).expect("a URL");
        assert_eq!(
            credentials
                .region_for(&host("https://abc123.execute-api.eu-west-1.amazonaws.com/prod"))
                .expect("a region"),
            "eu-west-1"
        );
        let error = credentials
            .region_for(&host("http://127.0.0.1:8080/"))
            .expect_err("none");
        assert!(error.to_string().contains("AWS_REGION"), "{error}");
        assert_eq!(
            credentials
                .region("us-east-2")
                .region_for(&host("http://127.0.0.1/"))
                .expect("set"),
            "us-east-2"
        );
    }
}
