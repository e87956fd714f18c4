"""One module per use case; each is a class whose ``__call__`` runs it."""

from twitter.application.use_cases.authenticate import Authenticate
from twitter.application.use_cases.blocks_and_mutes import (
    BlockUser,
    ListBlocking,
    ListMuting,
    MuteUser,
    UnblockUser,
    UnmuteUser,
)
from twitter.application.use_cases.bookmarks import BookmarkTweet, ListBookmarks, RemoveBookmark
from twitter.application.use_cases.check_health import CheckHealth, Health
from twitter.application.use_cases.delete_tweet import DeleteTweet
from twitter.application.use_cases.delete_user import DeleteUser
from twitter.application.use_cases.edit_profile import EditProfile
from twitter.application.use_cases.follow_user import FollowUser
from twitter.application.use_cases.get_home_timeline import GetHomeTimeline
from twitter.application.use_cases.identify_user import IdentifyUser
from twitter.application.use_cases.like_tweet import LikeTweet
from twitter.application.use_cases.notifications import (
    DismissNotifications,
    ListNotifications,
    MarkNotificationsRead,
)
from twitter.application.use_cases.oauth_apps import (
    AuthenticateApp,
    AuthorizeApp,
    GrantAuthorizationCode,
    GrantClientCredentials,
    GrantPasswordToken,
    IdentifyApp,
    RegisterApp,
    ReviewAuthorization,
)
from twitter.application.use_cases.post_tweet import PostTweet
from twitter.application.use_cases.register_user import RegisterUser
from twitter.application.use_cases.retweet import RetweetTweet, UndoRetweet
from twitter.application.use_cases.revoke_token import RevokeToken
from twitter.application.use_cases.search import SearchTweets, SearchUsers
from twitter.application.use_cases.unfollow_user import UnfollowUser
from twitter.application.use_cases.unlike_tweet import UnlikeTweet
from twitter.application.use_cases.write_limits import CountWrite, PeekWrites

__all__ = [
    "Authenticate",
    "AuthenticateApp",
    "AuthorizeApp",
    "BlockUser",
    "BookmarkTweet",
    "CheckHealth",
    "CountWrite",
    "DeleteTweet",
    "DeleteUser",
    "DismissNotifications",
    "EditProfile",
    "FollowUser",
    "GetHomeTimeline",
    "GrantAuthorizationCode",
    "GrantClientCredentials",
    "GrantPasswordToken",
    "Health",
    "IdentifyApp",
    "IdentifyUser",
    "LikeTweet",
    "ListBlocking",
    "ListBookmarks",
    "ListMuting",
    "ListNotifications",
    "MarkNotificationsRead",
    "MuteUser",
    "PeekWrites",
    "PostTweet",
    "RegisterApp",
    "RegisterUser",
    "RemoveBookmark",
    "RetweetTweet",
    "ReviewAuthorization",
    "RevokeToken",
    "SearchTweets",
    "SearchUsers",
    "UnblockUser",
    "UndoRetweet",
    "UnfollowUser",
    "UnlikeTweet",
    "UnmuteUser",
]
