//! Waiting for WP Engine's long-running work: backups (`createBackup` answers 202 at once,
//! `showBackup` reports progress) and domain status reports (`checkStatus` queues one,
//! `getDomainReportStatus` fetches it). Each helper polls with growing intervals
//! ([`PollPolicy`]) until the work is finished or the deadline passes
//! ([`Error::PollDeadline`](crate::runtime::Error::PollDeadline)). Each compiles with the
//! feature of the operations it uses (`backup`, `domain`).

#![cfg(any(feature = "backup", feature = "domain"))]

use crate::runtime::{self, uuid, PollPolicy};
#[cfg(feature = "backup")]
use crate::{runtime::DecodeError, Error};
use crate::{types, Client, Result};

impl Client {
    #[cfg(feature = "backup")]
    /// Polls `showBackup` until the backup is `completed` or `aborted`, and returns it. Check
    /// [`Backup::status`](types::Backup::status): an aborted backup is not an error here.
    pub async fn wait_for_backup(
        &self,
        install_id: uuid::Uuid,
        backup_id: uuid::Uuid,
        policy: &PollPolicy,
    ) -> Result<types::Backup> {
        runtime::poll(
            policy,
            || self.show_backup(install_id, backup_id).send(),
            |backup: &types::Backup| {
                matches!(
                    backup.status,
                    Some(types::BackupStatus::Completed | types::BackupStatus::Aborted)
                )
            },
        )
        .await
    }

    #[cfg(feature = "backup")]
    /// Starts a backup of an install (`createBackup`) and waits for it to finish
    /// ([`wait_for_backup`](Self::wait_for_backup)).
    pub async fn backup_and_wait(
        &self,
        install_id: uuid::Uuid,
        request: types::CreateBackupRequest,
        policy: &PollPolicy,
    ) -> Result<types::Backup> {
        let started = self.create_backup(install_id, request).send().await?;
        let id = started.id.as_deref().unwrap_or_default();
        let backup_id = uuid::Uuid::parse_str(id).map_err(|e| {
            Error::Decode(DecodeError {
                status: 202,
                content_type: None,
                path: Some("id".into()),
                message: format!("createBackup answered without a backup UUID to poll: {e}"),
                body: format!("{started:?}"),
            })
        })?;
        self.wait_for_backup(install_id, backup_id, policy).await
    }

    #[cfg(feature = "domain")]
    /// Queues a status check of a domain (`checkStatus`) and polls `getDomainReportStatus`
    /// until the report is complete, then returns it.
    pub async fn check_domain_and_wait(
        &self,
        install_id: uuid::Uuid,
        domain_id: uuid::Uuid,
        policy: &PollPolicy,
    ) -> Result<types::DomainStatusReport> {
        let queued = self.check_status(install_id, domain_id).send().await?;
        let (install, report) = (install_id.to_string(), queued.report_id.to_string());
        let done = runtime::poll(
            policy,
            || self.get_domain_report_status(install.as_str(), report.as_str()).send(),
            |answer: &types::GetDomainReportStatusResponse| {
                answer.report.as_ref().and_then(|r| r.complete) == Some(true)
            },
        )
        .await?;
        Ok(done.report.unwrap_or_default())
    }
}
